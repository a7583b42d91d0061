"""Issue 12's promise: a goal linked to an indicator whose trajectory is behind is suggested
"bagud" on the goal page, in the grid, on the leader's page and in the API; the owner's
override with a reason is kept and shown beside the suggestion."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from apps.core.models import AuditEntry
from apps.kpis.goal_links import goal_indicator_link
from apps.kpis.models import Indicator, Measurement
from apps.strategy import services
from apps.strategy.choices import GoalStatus, StrategyStatus
from tests.factories import FocusAreaFactory, GoalFactory, StrategyFactory

pytestmark = pytest.mark.django_db

BADGE = "Nøgletal: Bagud"


@pytest.fixture
def behind_goal(municipality, elderly, coordinator, leader):
    """An adopted strategy's goal of Ældre og Sundhed, owned by its leader and followed by an
    indicator at 42 % in 2024 on the straight path from 40 % (2022) to 60 % (2026), which
    expects 50 %: behind."""
    strategy = StrategyFactory(municipality=municipality, status=StrategyStatus.ADOPTED)
    area = FocusAreaFactory(strategy=strategy, title="Fastholdelse")
    goal = GoalFactory(
        focus_area=area,
        department=elderly,
        text="Flere elever bliver ansat efter endt uddannelse",
        owner=leader,
        follow_up_on=datetime.date.today() + datetime.timedelta(days=60),
    )
    indicator = Indicator.objects.create(
        municipality=municipality,
        name="Andel ansat efter endt uddannelse",
        baseline_value=Decimal("40"),
        baseline_period=2022,
        target_value=Decimal("60"),
        target_period=2026,
    )
    Measurement.objects.create(
        municipality=municipality, indicator=indicator, period=2024, value=Decimal("42")
    )
    goal_indicator_link(goal=goal, indicator=indicator, actor=coordinator)
    goal.refresh_from_db()
    return goal


def _api_goal(client, goal):
    response = client.get(reverse("api:goal_list"), {"municipality": 219})
    assert response.status_code == 200
    return next(g for g in response.json()["results"] if g["id"] == goal.pk)


def test_behind_is_suggested_on_the_goal_page_grid_leader_page_and_api(
    login, coordinator, leader, behind_goal
):
    assert behind_goal.suggested_status == "behind"
    assert behind_goal.status == GoalStatus.NOT_STARTED
    strategy = behind_goal.focus_area.strategy

    client = login(coordinator)
    goal_page = client.get(reverse("strategy:goal_detail", args=[behind_goal.pk]))
    assert BADGE in goal_page.content.decode()
    grid = client.get(reverse("strategy:strategy_detail", args=[strategy.pk]))
    assert BADGE in grid.content.decode()

    client = login(leader)
    leader_page = client.get(reverse("dashboards:department", args=[behind_goal.department_id]))
    html = leader_page.content.decode()
    assert "1 bagud" in html
    assert BADGE in html
    attention = html.split("Kræver opmærksomhed", 1)[1]
    assert behind_goal.text in attention
    assert _api_goal(client, behind_goal)["suggested_status"] == "behind"


def test_the_owners_override_with_a_reason_is_kept_and_shown(login, leader, behind_goal):
    client = login(leader)
    response = client.post(
        reverse("strategy:goal_status_override", args=[behind_goal.pk]),
        {
            "anden-status-status": GoalStatus.ON_TRACK,
            "anden-status-reason": "Den nye mentorordning er først startet i år",
            "anden-status-version": behind_goal.version,
        },
        follow=True,
    )
    assert response.status_code == 200

    behind_goal.refresh_from_db()
    assert (behind_goal.status, behind_goal.suggested_status) == (GoalStatus.ON_TRACK, "behind")
    assert behind_goal.status_reason == "Den nye mentorordning er først startet i år"
    assert behind_goal.status_decided_by == leader
    entry = AuditEntry.objects.for_object(behind_goal).get(action="strategy.goal.status_overridden")
    assert entry.actor == leader

    page = client.get(reverse("strategy:goal_detail", args=[behind_goal.pk])).content.decode()
    assert "Den nye mentorordning er først startet i år" in page
    assert BADGE in page
    api = _api_goal(client, behind_goal)
    assert (api["status"], api["suggested_status"]) == ("on_track", "behind")


def test_an_override_without_a_reason_is_refused_and_nothing_changes(leader, behind_goal):
    with pytest.raises(ValidationError):
        services.goal_status_override(
            goal=behind_goal,
            actor=leader,
            status=GoalStatus.ON_TRACK,
            reason="  ",
            expected_version=behind_goal.version,
        )
    behind_goal.refresh_from_db()
    assert (behind_goal.status, behind_goal.status_reason) == (GoalStatus.NOT_STARTED, "")
