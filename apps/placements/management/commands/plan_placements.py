"""`manage.py plan_placements --municipality CODE --from DATE --to DATE [--apply] --json`:
a placement plan for the period. Without `--apply` nothing is changed; with it, the plan's
placements are written in one transaction (all or none, audited).

JSON: {"period", "needing", "assigned", "unassigned": [{"trainee", "reason"}],
"assignments": [{"trainee", "workplace", "supervisor", "qualified"}],
"conflicts": [{"kind", "workplace", "supervisor", "trainee"}],
"needs": [{"trainee", "step", "reason"}]}: "needs" says why each needing trainee needs a
placement (`step`: the next step of the programme's sequence or null; `reason`: the manual
need's note, else the step). Trainees and supervisors
are given by their HR ids, workplaces by name; conflicts are those of the period with the
plan's placements counted (written with --apply, as if written without)."""

import datetime
import json

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from apps.organisation.models import Municipality, Workplace
from apps.placements.planning import make_plan, need_reason, planned_placements
from apps.placements.selectors import period_conflicts
from apps.placements.services import plan_apply
from apps.supervisors.models import Supervisor
from apps.trainees.models import Trainee


def _date(value: str, option: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise CommandError(
            f"{option}: ugyldig dato '{value}'. Skriv den som ÅÅÅÅ-MM-DD, fx 2027-02-01."
        ) from None


class Command(BaseCommand):
    help = "Foreslå (og gem med --apply) praktikpladser til elever, der mangler en i perioden."

    def add_arguments(self, parser):
        parser.add_argument("--municipality", required=True, type=int, help="Kommunenummer")
        parser.add_argument("--from", dest="start", required=True, help="Fra (ÅÅÅÅ-MM-DD)")
        parser.add_argument("--to", dest="end", required=True, help="Til (ÅÅÅÅ-MM-DD)")
        parser.add_argument("--apply", action="store_true", help="Gem planens praktikperioder")
        parser.add_argument("--json", action="store_true", help="Skriv planen som JSON")

    def handle(self, *args, **options):
        try:
            municipality = Municipality.objects.get(code=options["municipality"])
        except Municipality.DoesNotExist:
            raise CommandError(f"Ukendt kommunenummer {options['municipality']}") from None
        start, end = _date(options["start"], "--from"), _date(options["end"], "--to")
        if end < start:
            raise CommandError("--to ligger før --from.")
        plan = make_plan(municipality.pk, start, end)
        if options["apply"]:
            try:
                plan_apply(plan=plan, municipality_id=municipality.pk, actor=None)
            except ValidationError as error:
                raise CommandError("; ".join(error.messages)) from None
        result = plan_result(plan, municipality.pk, applied=options["apply"])
        if options["json"]:
            self.stdout.write(json.dumps(result, ensure_ascii=False))
            return
        self.stdout.write(
            f"{result['needing']} elever mangler plads; {result['assigned']} placeret, "
            f"{len(result['unassigned'])} ikke placeret, {len(result['conflicts'])} konflikter."
        )


def plan_result(plan, municipality_id: int, *, applied: bool) -> dict:
    sol = plan.solution
    extra = [] if applied else planned_placements(plan, municipality_id)
    conflicts = period_conflicts(municipality_id, plan.start, plan.end, extra)
    wp_ids = {a.workplace for a in sol.assignments} | {c.workplace for c in conflicts}
    sup_ids = {a.supervisor for a in sol.assignments} | {c.supervisor for c in conflicts}
    tr_ids = set(plan.trainees) | {c.trainee for c in conflicts}
    workplaces = dict(Workplace.objects.filter(pk__in=wp_ids).values_list("pk", "name"))
    supervisors = dict(Supervisor.objects.filter(pk__in=sup_ids).values_list("pk", "hr_id"))
    trainees = dict(Trainee.objects.filter(pk__in=tr_ids).values_list("pk", "hr_id"))
    return {
        "period": {"from": plan.start.isoformat(), "to": plan.end.isoformat()},
        "needing": len(plan.trainees),
        "assigned": len(sol.assignments),
        "unassigned": [
            {"trainee": trainees[tid], "reason": reason}
            for tid, reason in sorted(sol.unassigned.items())
        ],
        "assignments": [
            {
                "trainee": trainees[a.trainee],
                "workplace": workplaces[a.workplace],
                "supervisor": supervisors[a.supervisor],
                "qualified": a.qualified,
            }
            for a in sol.assignments
        ],
        "conflicts": [
            {
                "kind": str(c.kind),
                "workplace": workplaces.get(c.workplace),
                "supervisor": supervisors.get(c.supervisor),
                "trainee": trainees.get(c.trainee),
            }
            for c in conflicts
        ],
        "needs": [
            {"trainee": trainees[t.pk], "step": t.need_step, "reason": need_reason(t)}
            for t in plan.trainees.values()
        ],
    }
