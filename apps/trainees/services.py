"""Writes to trainees. Every change is validated (`Trainee.full_clean()`, whose `clean()` applies
`apps.trainees.rules`), atomic, audited with old → new values, and refused when the trainee
changed since the editor loaded it (optimistic locking on `version`).

Quotas (dimensionering) likewise: `IntakeQuota.full_clean` checks minimum ≤ maximum, one
quota per programme, year and department, and the department's municipality; a change
tells the KPI engine (`quotas_changed`) so intake measurements follow."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from apps.core.audit import audit_record, model_changes, snapshot
from apps.trainees.models import IntakeQuota, Trainee
from apps.trainees.signals import quotas_changed

EDITABLE_FIELDS = (
    "first_name",
    "last_name",
    "programme",
    "department",
    "start_date",
    "expected_end_date",
    "end_date",
    "status",
    "dropout_reason",
    "dropout_phase",
    "dropout_note",
    "age_band",
    "recruitment",
    "hired_after",
    "hired_into_department",
    "hired_into_workplace",
    "hired_as_ssa_student",
    "personal_guide",
)


class StaleEditError(ValidationError):
    """The trainee was changed by someone else after the editor loaded it."""


def trainee_update(*, trainee: Trainee, actor, data: dict[str, Any], expected_version: int):
    """Correct a trainee (HR's correction form). Only `EDITABLE_FIELDS` may change; the edit
    is refused when `expected_version` is not the stored version (someone saved in between).
    Records one audit entry "trainees.trainee.updated" with {field: [old, new]}."""
    unknown = set(data) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValueError(f"Fields not editable: {sorted(unknown)}")
    with transaction.atomic():
        locked = Trainee.objects.select_for_update().get(pk=trainee.pk)
        if locked.version != expected_version:
            raise StaleEditError(
                _(
                    "Eleven er blevet ændret af en anden, siden du åbnede siden. "
                    "Genindlæs siden for at se de nye oplysninger, og ret derefter igen."
                ),
                code="stale",
            )
        before = snapshot(locked, EDITABLE_FIELDS)
        for name, value in data.items():
            setattr(locked, name, value)
        locked.full_clean()
        changes = model_changes(before, snapshot(locked, EDITABLE_FIELDS))
        if not changes:
            return locked
        locked.version += 1
        locked.save()
        audit_record(actor=actor, action="trainees.trainee.updated", obj=locked, changes=changes)
    return locked


# --- quotas (dimensionering) ---------------------------------------------------------------

QUOTA_FIELDS = ("programme", "year", "department", "minimum", "maximum", "note")


def _changed(municipality_id: int) -> None:
    transaction.on_commit(
        lambda: quotas_changed.send(sender=IntakeQuota, municipality_id=municipality_id)
    )


def _stale() -> ValidationError:
    return ValidationError(
        _(
            "Dimensioneringen er blevet ændret af en anden, siden du åbnede siden. "
            "Genindlæs siden, og ret derefter igen."
        ),
        code="stale",
    )


def quota_create(*, municipality_id: int, actor, data: dict[str, Any]) -> IntakeQuota:
    """A new quota of the municipality; audit "trainees.intakequota.created"."""
    unknown = set(data) - set(QUOTA_FIELDS)
    if unknown:
        raise ValueError(f"Fields not editable: {sorted(unknown)}")
    with transaction.atomic():
        quota = IntakeQuota(municipality_id=municipality_id, **data)
        quota.full_clean()
        quota.save()
        audit_record(
            actor=actor,
            action="trainees.intakequota.created",
            obj=quota,
            changes=model_changes({}, snapshot(quota, QUOTA_FIELDS)),
        )
        _changed(municipality_id)
    return quota


def quota_update(
    *, quota: IntakeQuota, actor, data: dict[str, Any], expected_version: int
) -> IntakeQuota:
    """Change a quota; refused when `expected_version` is stale. Audit
    "trainees.intakequota.updated" with {field: [old, new]}."""
    unknown = set(data) - set(QUOTA_FIELDS)
    if unknown:
        raise ValueError(f"Fields not editable: {sorted(unknown)}")
    with transaction.atomic():
        locked = IntakeQuota.objects.select_for_update().get(pk=quota.pk)
        if locked.version != expected_version:
            raise _stale()
        before = snapshot(locked, QUOTA_FIELDS)
        for name, value in data.items():
            setattr(locked, name, value)
        locked.full_clean()
        changes = model_changes(before, snapshot(locked, QUOTA_FIELDS))
        if not changes:
            return locked
        locked.version += 1
        locked.save()
        audit_record(
            actor=actor, action="trainees.intakequota.updated", obj=locked, changes=changes
        )
        _changed(locked.municipality_id)
    return locked


def quota_delete(*, quota: IntakeQuota, actor, expected_version: int) -> None:
    """Delete a quota; audit "trainees.intakequota.deleted" with what it was."""
    with transaction.atomic():
        locked = IntakeQuota.objects.select_for_update().get(pk=quota.pk)
        if locked.version != expected_version:
            raise _stale()
        audit_record(
            actor=actor,
            action="trainees.intakequota.deleted",
            obj=locked,
            changes=model_changes(snapshot(locked, QUOTA_FIELDS), dict.fromkeys(QUOTA_FIELDS)),
        )
        locked.delete()
        _changed(locked.municipality_id)
