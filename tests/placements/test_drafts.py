"""Draft plans: proposing stores the solver's plan, moving validates and guards the version,
confirming writes exactly the draft's placements in one transaction (or nothing)."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from apps.core.models import AuditEntry
from apps.placements.drafts import draft_confirm, draft_move, draft_propose
from apps.placements.models import DraftAssignment, DraftStatus, PlacementDraft
from apps.trainees.models import Placement
from tests.factories import SupervisorFactory, WorkplaceFactory
from tests.placements.conftest import END, START, capacity, supervisor

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft(scarce, municipality, hr):
    return draft_propose(municipality_id=municipality.pk, start=START, end=END, actor=hr)


def rows(draft):
    return {r.trainee.hr_id: r for r in draft.rows.select_related("trainee")}


def test_propose_stores_the_plan_with_reasons(draft, scarce):
    lines = rows(draft)
    assert len(lines) == 6
    placed = [r for r in lines.values() if r.workplace_id]
    assert len(placed) == 2 and {r.workplace_id for r in placed} == {scarce["a"].pk}
    assert {r.supervisor_id for r in placed} == {scarce["q"].pk, scarce["u"].pk}
    assert lines["E-SSH"].workplace_id is None
    assert "SSH" in lines["E-SSH"].unassigned_reason
    assert lines["E-PAU"].unassigned_reason
    assert AuditEntry.objects.filter(action="placements.draft.proposed").count() == 1
    assert not Placement.objects.filter(start_date=START, trainee__hr_id__startswith="E-SSA")


def test_proposing_again_replaces_the_open_draft(draft, municipality, hr):
    again = draft_propose(municipality_id=municipality.pk, start=START, end=END, actor=hr)
    assert list(PlacementDraft.objects.values_list("pk", flat=True)) == [again.pk]
    assert AuditEntry.objects.filter(action="placements.draft.replaced").count() == 1


def test_the_database_allows_one_open_draft_per_period(draft):
    with pytest.raises(IntegrityError), transaction.atomic():
        PlacementDraft.objects.create(
            municipality_id=draft.municipality_id, start_date=START, end_date=END
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        row = draft.rows.first()
        DraftAssignment.objects.create(draft=draft, trainee=row.trainee)


def test_move_puts_the_trainee_at_the_workplace_and_supervisor(draft, scarce, elderly, hr):
    other = WorkplaceFactory(department=elderly, name="Plejecenter Syd")
    sup = supervisor(other, qualified=True)
    line = rows(draft)["E-SSH"]
    moved = draft_move(
        draft=draft,
        trainee_id=line.trainee_id,
        workplace_id=other.pk,
        supervisor_id=sup.pk,
        actor=hr,
        expected_version=line.version,
    )
    moved.refresh_from_db()
    assert (moved.workplace, moved.supervisor, moved.qualified) == (other, sup, True)
    assert moved.unassigned_reason == "" and moved.version == line.version + 1
    assert AuditEntry.objects.filter(action="placements.draft.moved").count() == 1


def test_a_supervisor_from_another_workplace_is_refused_in_danish(draft, scarce, elderly, hr):
    other = WorkplaceFactory(department=elderly, name="Plejecenter Syd")
    line = rows(draft)["E-SSH"]
    with pytest.raises(ValidationError, match="arbejder ikke på Plejecenter Syd"):
        draft_move(
            draft=draft,
            trainee_id=line.trainee_id,
            workplace_id=other.pk,
            supervisor_id=scarce["q"].pk,
            actor=hr,
            expected_version=line.version,
        )
    line.refresh_from_db()
    assert line.workplace_id is None


def test_another_municipalitys_workplace_or_supervisor_is_refused(draft, other_department, hr):
    foreign = WorkplaceFactory(department=other_department)
    foreign_sup = SupervisorFactory(workplace=foreign)
    line = rows(draft)["E-SSH"]
    with pytest.raises(ValidationError, match="hører ikke til kommunen"):
        draft_move(
            draft=draft,
            trainee_id=line.trainee_id,
            workplace_id=foreign.pk,
            supervisor_id=None,
            actor=hr,
            expected_version=line.version,
        )
    with pytest.raises(ValidationError, match="Vejlederen hører ikke til kommunen"):
        draft_move(
            draft=draft,
            trainee_id=line.trainee_id,
            workplace_id=None,
            supervisor_id=foreign_sup.pk,
            actor=hr,
            expected_version=line.version,
        )


def test_a_stale_move_is_refused_with_a_conflict_message(draft, scarce, hr):
    line = rows(draft)["E-SSH"]
    kwargs = {
        "draft": draft,
        "trainee_id": line.trainee_id,
        "supervisor_id": None,
        "actor": hr,
        "expected_version": 1,
    }
    draft_move(workplace_id=scarce["b"].pk, **kwargs)
    with pytest.raises(ValidationError, match="ændret af en anden"):
        draft_move(workplace_id=scarce["a"].pk, **kwargs)
    line.refresh_from_db()
    assert line.workplace_id == scarce["b"].pk


def test_confirm_writes_exactly_the_drafts_placements(draft, scarce, elderly, hr):
    other = WorkplaceFactory(department=elderly, name="Plejecenter Syd")
    capacity(other, "SSH", 1)
    sup = supervisor(other, qualified=True)
    ssh = rows(draft)["E-SSH"]
    draft_move(
        draft=draft,
        trainee_id=ssh.trainee_id,
        workplace_id=other.pk,
        supervisor_id=sup.pk,
        actor=hr,
        expected_version=ssh.version,
    )
    expected = sorted(
        (r.trainee_id, r.workplace_id, r.supervisor_id)
        for r in DraftAssignment.objects.filter(draft=draft, workplace__isnull=False)
    )
    before = set(Placement.objects.values_list("pk", flat=True))
    created = draft_confirm(draft=draft, actor=hr)
    new = Placement.objects.exclude(pk__in=before)
    assert sorted((p.trainee_id, p.workplace_id, p.supervisor_id) for p in new) == expected
    assert len(created) == len(expected) == 3
    assert all((p.start_date, p.end_date) == (START, END) for p in new)
    draft.refresh_from_db()
    assert draft.status == DraftStatus.CONFIRMED
    assert AuditEntry.objects.filter(action="placements.draft.confirmed").count() == 1
    with pytest.raises(ValidationError, match="allerede bekræftet"):
        draft_confirm(draft=draft, actor=hr)


def test_a_confirm_that_overfills_a_workplace_writes_nothing(draft, scarce, hr):
    # Put every SSA trainee at A (3 places, one taken): the plan is refused whole.
    for line in DraftAssignment.objects.filter(draft=draft, trainee__hr_id__startswith="E-SSA"):
        draft_move(
            draft=draft,
            trainee_id=line.trainee_id,
            workplace_id=scarce["a"].pk,
            supervisor_id=None,
            actor=hr,
            expected_version=line.version,
        )
    placements, audits = Placement.objects.count(), AuditEntry.objects.count()
    with pytest.raises(ValidationError, match="nye konflikter"):
        draft_confirm(draft=draft, actor=hr)
    assert (Placement.objects.count(), AuditEntry.objects.count()) == (placements, audits)
    draft.refresh_from_db()
    assert draft.status == DraftStatus.DRAFT
