"""`manage.py plan_placements`: JSON, nothing changed without --apply, all or none with it."""

import dataclasses
import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from apps.core.models import AuditEntry
from apps.placements import planning
from apps.trainees.models import Placement
from tests.placements.conftest import END, START

pytestmark = pytest.mark.django_db
ARGS = ["--municipality", "219", "--from", START.isoformat(), "--to", END.isoformat()]


def run(*extra):
    out = StringIO()
    call_command("plan_placements", *ARGS, *extra, "--json", stdout=out)
    return json.loads(out.getvalue())


def test_json_without_apply_changes_nothing(scarce):
    placements, audits = Placement.objects.count(), AuditEntry.objects.count()
    result = run()
    assert result["period"] == {"from": "2027-02-01", "to": "2027-06-30"}
    assert (result["needing"], result["assigned"]) == (6, 2)
    assert {u["trainee"] for u in result["unassigned"]} >= {"E-SSH", "E-PAU"}
    assert all(u["reason"] for u in result["unassigned"])
    assert {a["workplace"] for a in result["assignments"]} == {"Døgnplejen Nord"}
    assert sorted(a["qualified"] for a in result["assignments"]) == [False, True]
    # The plan's own placements count: the unqualified supervisor's new trainee is flagged.
    unqualified = [a for a in result["assignments"] if not a["qualified"]]
    assert result["conflicts"] == [
        {
            "kind": "supervisor_unqualified",
            "workplace": "Døgnplejen Nord",
            "supervisor": scarce["u"].hr_id,
            "trainee": unqualified[0]["trainee"],
        }
    ]
    assert (Placement.objects.count(), AuditEntry.objects.count()) == (placements, audits)


def test_apply_writes_exactly_the_plans_placements(scarce):
    before = set(Placement.objects.values_list("pk", flat=True))
    plan = run()
    result = run("--apply")
    new = Placement.objects.exclude(pk__in=before).select_related("trainee", "supervisor")
    assert sorted((p.trainee.hr_id, p.workplace.name, p.supervisor.hr_id) for p in new) == sorted(
        (a["trainee"], a["workplace"], a["supervisor"]) for a in plan["assignments"]
    )
    assert all((p.start_date, p.end_date, p.period_number) == (START, END, 1) for p in new)
    assert AuditEntry.objects.filter(action="placements.placement.created").count() == 2
    assert result["assignments"] == plan["assignments"]
    assert run()["needing"] == 4  # the placed trainees need no more


def test_a_failure_writes_none_of_the_plan(scarce, monkeypatch):
    real = planning.make_plan

    def broken(*args):
        plan = real(*args)
        first, *rest = plan.solution.assignments
        plan.solution.assignments = [dataclasses.replace(first, supervisor=987654), *rest]
        return plan

    monkeypatch.setattr("apps.placements.management.commands.plan_placements.make_plan", broken)
    count, audits = Placement.objects.count(), AuditEntry.objects.count()
    with pytest.raises(CommandError, match="kan ikke placeres"):
        run("--apply")
    assert (Placement.objects.count(), AuditEntry.objects.count()) == (count, audits)


def test_a_plan_that_would_overfill_a_workplace_is_refused_whole(scarce, monkeypatch):
    real = planning.make_plan

    def overfull(*args):
        plan = real(*args)
        a = plan.solution.assignments[0]
        extra = [
            dataclasses.replace(a, trainee=t.pk)
            for t in scarce["ssa"]
            if t.pk not in {x.trainee for x in plan.solution.assignments}
        ]
        plan.solution.assignments = [*plan.solution.assignments, *extra]
        return plan

    monkeypatch.setattr("apps.placements.management.commands.plan_placements.make_plan", overfull)
    count = Placement.objects.count()
    with pytest.raises(CommandError, match="nye konflikter"):
        run("--apply")
    assert Placement.objects.count() == count


def test_a_bad_date_is_refused_in_danish(scarce):
    with pytest.raises(CommandError, match="ugyldig dato"):
        call_command("plan_placements", "--municipality", "219", "--from", "1/2", "--to", "x")


def test_an_applied_placement_is_the_trainees_next_training_period(elderly):
    from tests.factories import WorkplaceFactory
    from tests.placements.conftest import capacity, placement, supervisor, trainee

    home, new = WorkplaceFactory(department=elderly), WorkplaceFactory(department=elderly)
    capacity(new, "SSA", 1)
    sup = supervisor(new, qualified=True)
    t = trainee(elderly, "SSA")
    placement(t, home, start=START.replace(year=2026), end=END.replace(year=2026), number=1)
    run("--apply")
    placed = Placement.objects.get(trainee=t, start_date=START)
    assert (placed.period_number, placed.workplace, placed.supervisor) == (2, new, sup)


def test_json_says_why_each_trainee_needs_a_placement(scarce, hr):
    from apps.placements.need_services import manual_need_add

    manual_need_add(trainee=scarce["pau"], actor=hr, start_date=START, end_date=END, note="Om")
    result = run()
    needs = {n["trainee"]: n for n in result["needs"]}
    assert len(needs) == result["needing"] == 6
    assert needs["E-SSH"] == {
        "trainee": "E-SSH",
        "step": "Oplæringsperiode 1",
        "reason": "Oplæringsperiode 1",
    }
    assert needs["E-PAU"] == {"trainee": "E-PAU", "step": None, "reason": "Om"}
