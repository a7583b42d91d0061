"""Writing a plan: the planned placements in one transaction, each validated and audited.

`plan_apply` creates one training placement per assignment (the trainee's next training
period number), checks each with `full_clean()`, records "placements.placement.created"
per placement, and afterwards checks that the plan added no hard conflict (over capacity,
programme not taken, supervisor over maximum, overlap). Any failure rolls back every
placement of the plan. `assignments_apply` is the same for any list of (trainee,
workplace, supervisor), e.g. a confirmed draft (`apps.placements.drafts`).
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from apps.core.audit import audit_record
from apps.placements.planning import Plan
from apps.placements.selectors import ConflictKind, period_conflicts
from apps.trainees.choices import PlacementKind
from apps.trainees.models import Placement

HARD_KINDS = {
    ConflictKind.OVER_CAPACITY,
    ConflictKind.PROGRAMME_NOT_TAKEN,
    ConflictKind.SUPERVISOR_OVER_MAX,
    ConflictKind.OVERLAP,
}


def plan_apply(*, plan: Plan, municipality_id: int, actor) -> list[Placement]:
    """Create the plan's placements, all or none (`assignments_apply`)."""
    return assignments_apply(
        municipality_id=municipality_id,
        start=plan.start,
        end=plan.end,
        assignments=[
            (plan.trainees[a.trainee], a.workplace, a.supervisor) for a in plan.solution.assignments
        ],
        actor=actor,
    )


def assignments_apply(
    *, municipality_id: int, start, end, assignments, actor, context=None
) -> list[Placement]:
    """Create one training placement in [start, end] per (trainee, workplace id, supervisor
    id), all or none: each is `full_clean()`ed and audited, and the whole is refused when it
    adds a hard conflict to the period (`HARD_KINDS`)."""
    created = []
    context = {"plan": f"{start.isoformat()}/{end.isoformat()}", **(context or {})}
    with transaction.atomic():
        before = set(period_conflicts(municipality_id, start, end))
        for trainee, workplace_id, supervisor_id in assignments:
            last = Placement.objects.filter(
                trainee_id=trainee.pk, kind=PlacementKind.TRAINING
            ).aggregate(n=Max("period_number"))["n"]
            placement = Placement(
                municipality_id=municipality_id,
                trainee=trainee,
                kind=PlacementKind.TRAINING,
                period_number=(last or 0) + 1,
                workplace_id=workplace_id,
                supervisor_id=supervisor_id,
                start_date=start,
                end_date=end,
            )
            try:
                placement.full_clean()
            except ValidationError as error:
                raise ValidationError(
                    _("Elev %(trainee)s kan ikke placeres: %(error)s")
                    % {"trainee": trainee.hr_id, "error": "; ".join(error.messages)}
                ) from error
            placement.save()
            audit_record(
                actor=actor,
                action="placements.placement.created",
                obj=placement,
                changes={
                    "workplace": [None, placement.workplace_id],
                    "supervisor": [None, placement.supervisor_id],
                    "start_date": [None, placement.start_date],
                    "end_date": [None, placement.end_date],
                },
                context=context,
            )
            created.append(placement)
        after = set(period_conflicts(municipality_id, start, end))
        new = [c for c in after - before if c.kind in HARD_KINDS]
        if new:
            raise ValidationError(
                _("Planen giver nye konflikter (%(kinds)s); intet er gemt.")
                % {"kinds": ", ".join(sorted({str(ConflictKind(c.kind).label) for c in new}))}
            )
    return created
