"""Draft plans: propose, adjust and confirm a period's placement plan, kept in PostgreSQL.

- `draft_propose` runs the solver (`planning.make_plan`) and stores its result as the
  municipality's open draft for the period, replacing an open draft of the same period.
- `draft_move` puts one trainee of an open draft at another workplace and supervisor (or
  takes the trainee out of the plan); both must belong to the draft's municipality and the
  supervisor must work at the workplace. A move based on a stale line is refused.
- `draft_confirm` writes the draft's placements through `services.assignments_apply` (one
  transaction, all or none, refused when it adds a hard conflict) and marks it confirmed.

Every write is audited ("placements.draft.proposed" / ".replaced" / ".moved" / ".confirmed").
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from apps.core.audit import audit_record
from apps.organisation.models import Workplace
from apps.placements.models import DraftAssignment, DraftStatus, PlacementDraft
from apps.placements.planning import make_plan
from apps.placements.services import assignments_apply
from apps.supervisors.models import Supervisor


def draft_propose(*, municipality_id: int, start, end, actor) -> PlacementDraft:
    """Propose a plan for [start, end] and store it as the open draft of the period; an open
    draft of the same period is replaced (deleted, audited)."""
    if end < start:
        raise ValidationError({"end": _("Til-datoen må ikke ligge før fra-datoen.")})
    plan = make_plan(municipality_id, start, end)
    with transaction.atomic():
        old = (
            PlacementDraft.objects.select_for_update()
            .filter(
                municipality_id=municipality_id,
                start_date=start,
                end_date=end,
                status=DraftStatus.DRAFT,
            )
            .first()
        )
        if old is not None:
            audit_record(
                actor=actor,
                action="placements.draft.replaced",
                obj=old,
                changes={"rows": [old.rows.count(), None]},
            )
            old.delete()
        draft = PlacementDraft(
            municipality_id=municipality_id,
            start_date=start,
            end_date=end,
            created_by=actor if getattr(actor, "pk", None) else None,
        )
        draft.full_clean()
        draft.save()
        rows = [
            DraftAssignment(
                draft=draft,
                trainee_id=a.trainee,
                workplace_id=a.workplace,
                supervisor_id=a.supervisor,
                qualified=a.qualified,
            )
            for a in plan.solution.assignments
        ] + [
            DraftAssignment(draft=draft, trainee_id=tid, unassigned_reason=str(reason)[:300])
            for tid, reason in sorted(plan.solution.unassigned.items())
        ]
        DraftAssignment.objects.bulk_create(rows)
        audit_record(
            actor=actor,
            action="placements.draft.proposed",
            obj=draft,
            changes={
                "assigned": [None, len(plan.solution.assignments)],
                "unassigned": [None, len(plan.solution.unassigned)],
            },
            context={"plan": f"{start.isoformat()}/{end.isoformat()}"},
        )
    return draft


def _open(draft: PlacementDraft) -> PlacementDraft:
    locked = PlacementDraft.objects.select_for_update().get(pk=draft.pk)
    if locked.status != DraftStatus.DRAFT:
        raise ValidationError(
            _(
                "Planudkastet er allerede bekræftet og kan ikke ændres. Foreslå en ny plan for "
                "perioden, hvis den skal ændres."
            )
        )
    return locked


def draft_move(
    *, draft, trainee_id: int, workplace_id, supervisor_id, actor, expected_version: int
) -> DraftAssignment:
    """Put one trainee of an open draft at `workplace_id` with `supervisor_id` (both may be
    None: the trainee is taken out of the plan; a supervisor needs a workplace). Refused in
    Danish when the workplace or supervisor is not the municipality's, the supervisor does
    not work at the workplace, or the line changed since `expected_version`."""
    with transaction.atomic():
        draft = _open(draft)
        row = (
            DraftAssignment.objects.select_for_update()
            .filter(draft=draft, trainee_id=trainee_id)
            .first()
        )
        if row is None:
            raise ValidationError(_("Eleven står ikke i planudkastet."))
        if row.version != expected_version:
            raise ValidationError(
                _(
                    "Linjen er ændret af en anden, siden du åbnede siden. "
                    "Genindlæs siden og prøv igen."
                )
            )
        workplace = supervisor = None
        if workplace_id:
            workplace = Workplace.objects.filter(
                pk=workplace_id, department__municipality_id=draft.municipality_id
            ).first()
            if workplace is None:
                raise ValidationError({"workplace": _("Arbejdspladsen hører ikke til kommunen.")})
        if supervisor_id:
            supervisor = (
                Supervisor.objects.filter(pk=supervisor_id, municipality_id=draft.municipality_id)
                .select_related("qualification")
                .first()
            )
            if supervisor is None:
                raise ValidationError({"supervisor": _("Vejlederen hører ikke til kommunen.")})
            if workplace is None:
                raise ValidationError(
                    {"workplace": _("Vælg en arbejdsplads, når du vælger en vejleder.")}
                )
            if supervisor.workplace_id != workplace.pk:
                raise ValidationError(
                    {
                        "supervisor": _(
                            "%(supervisor)s arbejder ikke på %(workplace)s. Vælg en vejleder "
                            "fra arbejdspladsen."
                        )
                        % {"supervisor": supervisor.name, "workplace": workplace.name}
                    }
                )
        old = [row.workplace_id, row.supervisor_id]
        row.workplace = workplace
        row.supervisor = supervisor
        row.qualified = bool(
            supervisor
            and supervisor.is_active
            and supervisor.qualification
            and supervisor.qualification.is_formal
        )
        row.unassigned_reason = "" if workplace else _("Taget ud af planen")
        row.version += 1
        row.full_clean()
        row.save()
        draft.version += 1
        draft.save(update_fields=["version"])
        audit_record(
            actor=actor,
            action="placements.draft.moved",
            obj=draft,
            changes={
                "workplace": [old[0], row.workplace_id],
                "supervisor": [old[1], row.supervisor_id],
            },
            context={"trainee": trainee_id},
        )
    return row


def draft_confirm(*, draft, actor) -> list:
    """Write the open draft's placements (its lines with a workplace) in one transaction
    and mark it confirmed; on any failure nothing is written and the draft stays open."""
    with transaction.atomic():
        draft = _open(draft)
        rows = list(
            DraftAssignment.objects.filter(draft=draft, workplace__isnull=False)
            .select_related("trainee")
            .order_by("trainee_id")
        )
        if not rows:
            raise ValidationError(_("Planudkastet placerer ingen elever; der er intet at gemme."))
        created = assignments_apply(
            municipality_id=draft.municipality_id,
            start=draft.start_date,
            end=draft.end_date,
            assignments=[(r.trainee, r.workplace_id, r.supervisor_id) for r in rows],
            actor=actor,
            context={"draft": draft.pk},
        )
        draft.status = DraftStatus.CONFIRMED
        draft.version += 1
        draft.save(update_fields=["status", "version"])
        audit_record(
            actor=actor,
            action="placements.draft.confirmed",
            obj=draft,
            changes={"status": [DraftStatus.DRAFT, DraftStatus.CONFIRMED]},
            context={"placements": len(created)},
        )
    return created
