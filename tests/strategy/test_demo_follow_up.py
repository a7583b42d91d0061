"""The demo's follow-up state (apps/demo/follow_up.py): every municipality's strategy looks
like one a coordinator has followed up for a while, and initiatives serve their goals."""

import datetime
import io
from collections import Counter

import pytest
from django.utils import timezone

from apps.demo.follow_up import GOAL_STEPS, KEPT_NOTES, PROPOSAL_STEPS, TOPIC_NOTES
from apps.demo.organisation import load_organisation, load_users
from apps.demo.strategies import load_strategies
from apps.strategy.models import Goal, Initiative, StatusUpdate

pytestmark = pytest.mark.django_db

CODES = (219, 165, 707, 250, 217)
OWN_NOTES = (
    {note for _s, note in GOAL_STEPS if note}
    | {step[1] for step in PROPOSAL_STEPS if step}
    | set(KEPT_NOTES)
    | {note for _word, _status, note in TOPIC_NOTES}
)


@pytest.fixture
def demo(db):
    load_organisation()
    load_users()
    load_strategies(stdout=io.StringIO())


def test_every_municipality_has_varied_statuses_owners_dates_and_notes(demo):
    today = timezone.localdate()
    for code in CODES:
        goals = Goal.objects.filter(focus_area__strategy__municipality__code=code)
        statuses = Counter(goals.values_list("status", flat=True))
        # Not all "Ikke startet": under way, on track, behind, each in every municipality.
        assert {"in_progress", "on_track", "behind"} <= set(statuses), code
        assert statuses["not_started"] < goals.count() / 2, code
        dates = list(goals.values_list("follow_up_on", flat=True))
        assert min(dates) < today < max(dates), code  # some overdue, some ahead
        assert max(dates) - today <= datetime.timedelta(days=366)
        assert len(set(dates)) >= min(len(dates), 5), code
        # The owners' notes, on goals and on initiatives, say what their status says.
        notes = StatusUpdate.objects.filter(goal__in=goals)
        assert notes.count() >= 2, code
        for update in notes.select_related("goal"):
            assert update.note in OWN_NOTES
            assert update.status == update.goal.status
            assert update.author_id == update.goal.owner_id
        initiatives = Initiative.objects.filter(strategy__municipality__code=code)
        if code != 219:  # Hillerød's document has goals only, no initiatives
            noted = StatusUpdate.objects.filter(initiative__in=initiatives, note__in=OWN_NOTES)
            assert noted.exists(), code


def test_leaders_own_their_departments_goals_and_coordinator_and_hr_the_shared_ones(demo):
    hillerod = Goal.objects.filter(focus_area__strategy__municipality__code=219)
    owners = Counter(
        (g.department.name if g.department else None, g.owner.username)
        for g in hillerod.select_related("department", "owner")
    )
    # `leder` leads Ældre og Sundhed, `leder-skole` Skole (fixtures/demo/users.json).
    assert {o for (d, o) in owners if d == "Ældre og Sundhed"} == {"leder"}
    assert {o for (d, o) in owners if d == "Skole"} == {"leder-skole"}
    assert {o for (d, o) in owners if d is None} == {"koordinator", "hr"}
    assert {o for (d, o) in owners if d == "Dagtilbud"} <= {"koordinator", "hr"}
    frederikssund = Goal.objects.filter(focus_area__strategy__municipality__code=250)
    assert set(frederikssund.values_list("owner__role", flat=True)) == {"coordinator", "hr"}


def test_document_statuses_stand_and_proposals_have_moved_on(demo):
    """Frederikssund's Bilag 1 statuses are the document's; Helsingør's and Norddjurs'
    proposals have moved on in the follow-up, each change with its note."""
    frederikssund = Initiative.objects.filter(strategy__municipality__code=250)
    assert not frederikssund.filter(status__in=["idea", "proposal"]).exists()
    assert frederikssund.filter(status="implemented").count() == 51
    for code in (707, 217):
        initiatives = Initiative.objects.filter(strategy__municipality__code=code)
        moved = initiatives.exclude(status="proposal")
        assert 0 < moved.count() < initiatives.count(), code
        for initiative in moved:
            assert initiative.status_updates.filter(status=initiative.status).exists()


def test_frederikssunds_dropout_goal_has_its_initiatives(demo):
    dropout = Goal.objects.get(
        focus_area__strategy__municipality__code=250,
        text__startswith="at vi reducerer andelen som falder fra",
    )
    titles = list(dropout.initiatives.values_list("title", flat=True))
    assert "Personlig vejleder følger eleven gennem hele uddannelsen" in titles
    assert "Tæt opfølgning allerede fra grundforløbet" in titles
    # Several goals per municipality are served by initiatives (Hillerød's document has none).
    for code in (165, 707, 250, 217):
        served = Goal.objects.filter(
            focus_area__strategy__municipality__code=code, initiatives__isnull=False
        ).distinct()
        assert served.count() >= 4, code
