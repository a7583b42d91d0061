"""The plan from the database: needs, hard rules, Danish reasons, conflicts."""

import datetime

import pytest

from apps.placements.models import PlanningSettings
from apps.placements.planning import make_plan, needing_trainees
from apps.placements.selectors import ConflictKind, period_conflicts
from apps.trainees.choices import TraineeStatus
from tests.factories import WorkplaceFactory
from tests.placements.conftest import END, START, capacity, placement, supervisor, trainee

pytestmark = pytest.mark.django_db


def test_needs_are_active_trainees_without_a_placement_overlapping_the_period(elderly):
    wp = WorkplaceFactory(department=elderly)
    free = trainee(elderly, hr_id="free")
    busy = trainee(elderly, hr_id="busy")
    placement(busy, wp, start=datetime.date(2027, 6, 1), end=datetime.date(2027, 9, 30))
    before = trainee(elderly, hr_id="before")
    placement(before, wp, start=datetime.date(2026, 8, 1), end=datetime.date(2027, 1, 31))
    trainee(elderly, hr_id="done", status=TraineeStatus.COMPLETED)
    trainee(elderly, hr_id="later", start_date=datetime.date(2027, 8, 1))
    ids = {t.hr_id for t in needing_trainees(elderly.municipality_id, START, END)}
    assert ids == {free.hr_id, before.hr_id}


def test_scarce_capacity_respects_every_hard_rule_and_explains_the_rest(scarce, municipality):
    plan = make_plan(municipality.pk, START, END)
    sol = plan.solution
    assert len(plan.trainees) == 6
    by = {a.trainee: a for a in sol.assignments}
    # A had 3 SSA places, one taken: two SSA trainees placed, Q (max 2, one already) takes one
    # and the unqualified U only the one left when Q was full.
    assert len(sol.assignments) == 2
    assert {a.workplace for a in sol.assignments} == {scarce["a"].pk}
    assert sorted(a.supervisor for a in sol.assignments) == sorted([scarce["q"].pk, scarce["u"].pk])
    assert all(by[a.trainee].qualified == (a.supervisor == scarce["q"].pk) for a in sol.assignments)
    assert set(by) <= {t.pk for t in scarce["ssa"]}
    assert set(sol.unassigned) | set(by) == set(plan.trainees)
    reasons = {plan.trainees[t].hr_id: r for t, r in sol.unassigned.items()}
    assert reasons["E-SSH"] == "Ingen arbejdsplads tager SSH i perioden"
    assert reasons["E-PAU"].startswith("Ingen vejleder med plads")
    ssa_left = [r for k, r in reasons.items() if k.startswith("E-SSA")]
    assert len(ssa_left) == 2
    assert all(r == "Ingen ledig plads til SSA i perioden" for r in ssa_left)


def test_a_qualified_supervisor_with_room_is_used_before_an_unqualified_one(elderly, municipality):
    wp = WorkplaceFactory(department=elderly)
    capacity(wp, "SSA", 2)
    unqualified = supervisor(wp, qualified=False)
    qualified = supervisor(wp, qualified=True)
    trainee(elderly, "SSA")
    sol = make_plan(municipality.pk, START, END).solution
    assert [(a.supervisor, a.qualified) for a in sol.assignments] == [(qualified.pk, True)]
    assert unqualified.pk not in {a.supervisor for a in sol.assignments}


def test_the_supervisor_maximum_counts_existing_placements(elderly, municipality):
    PlanningSettings.objects.create(municipality=municipality, supervisor_max_trainees=1)
    wp = WorkplaceFactory(department=elderly)
    capacity(wp, "SSA", 5)
    full = supervisor(wp, qualified=True)
    placement(trainee(elderly, "SSA", hr_id="old"), wp, full)
    other = supervisor(wp, qualified=True)
    for i in range(3):
        trainee(elderly, "SSA", hr_id=f"new{i}")
    sol = make_plan(municipality.pk, START, END).solution
    assert [a.supervisor for a in sol.assignments] == [other.pk]
    assert len(sol.unassigned) == 2


def test_an_existing_overlap_and_an_unqualified_supervisor_are_conflicts(elderly, municipality):
    wp = WorkplaceFactory(department=elderly)
    capacity(wp, "SSA", 1)
    nobody = supervisor(wp, qualified=False)
    t = trainee(elderly, "SSA")
    placement(t, wp, nobody, number=1)
    placement(
        t, wp, nobody, start=datetime.date(2027, 6, 1), end=datetime.date(2027, 8, 31), number=2
    )
    kinds = {(c.kind, c.trainee) for c in period_conflicts(municipality.pk, START, END)}
    assert (ConflictKind.OVERLAP, t.pk) in kinds
    assert (ConflictKind.SUPERVISOR_UNQUALIFIED, t.pk) in kinds
    assert (ConflictKind.NO_QUALIFIED_SUPERVISOR, None) in kinds
    assert (ConflictKind.OVER_CAPACITY, None) in kinds


def test_supervisor_over_max_and_programme_not_taken(elderly, municipality):
    wp = WorkplaceFactory(department=elderly)
    capacity(wp, "SSA", 5)
    sup = supervisor(wp, qualified=True)
    for i in range(3):
        placement(trainee(elderly, "SSA", hr_id=f"s{i}"), wp, sup)
    ssh = trainee(elderly, "SSH")
    placement(ssh, wp, sup)
    found = period_conflicts(municipality.pk, START, END)
    assert {c.kind for c in found} == {
        ConflictKind.SUPERVISOR_OVER_MAX,
        ConflictKind.PROGRAMME_NOT_TAKEN,
    }
    assert [c.trainee for c in found if c.kind == ConflictKind.PROGRAMME_NOT_TAKEN] == [ssh.pk]
