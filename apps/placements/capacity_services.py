"""Writing capacity and the planning settings from the portal (HR and coordinators).

Rules: a capacity row's Til lies on or after its Fra, it has at least 1 place, its
workplace is the municipality's, and no other row of the same workplace and programme
overlaps its period (the existing row is named in the refusal: change that row instead).
Every write holds a row lock, checks the version the editor loaded (a stale one is refused
with a Danish conflict message), runs `full_clean()` and records an audit entry.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from apps.core.audit import audit_record, model_changes, snapshot
from apps.core.formatting import format_date
from apps.placements.models import PlanningSettings, WorkplaceCapacity

CAPACITY_FIELDS = ("workplace", "programme", "start_date", "end_date", "places")


def _stale() -> ValidationError:
    return ValidationError(
        _(
            "Kapaciteten er blevet ændret af en anden, siden du åbnede siden. "
            "Genindlæs siden, og ret derefter igen."
        ),
        code="stale",
    )


def overlap_message(other: WorkplaceCapacity) -> str:
    """Why a row is refused: the existing row of the same workplace and programme it overlaps."""
    return _(
        "%(workplace)s har allerede kapacitet for %(programme)s fra %(start)s til %(end)s "
        "(%(places)s pladser), som overlapper perioden. Ret den række i stedet."
    ) % {
        "workplace": other.workplace.name,
        "programme": other.programme.code,
        "start": format_date(other.start_date),
        "end": format_date(other.end_date),
        "places": other.places,
    }


def _check(capacity: WorkplaceCapacity) -> None:
    """full_clean plus the overlap rule (another row of the same workplace and programme)."""
    capacity.full_clean()
    other = (
        WorkplaceCapacity.objects.filter(
            municipality_id=capacity.municipality_id,
            workplace_id=capacity.workplace_id,
            programme_id=capacity.programme_id,
        )
        .overlapping(capacity.start_date, capacity.end_date)
        .exclude(pk=capacity.pk)
        .select_related("workplace", "programme")
        .order_by("start_date")
        .first()
    )
    if other is not None:
        raise ValidationError({"start_date": overlap_message(other)}, code="overlap")


def _unknown(data: dict) -> None:
    unknown = set(data) - set(CAPACITY_FIELDS)
    if unknown:
        raise ValueError(f"Fields not editable: {sorted(unknown)}")


def capacity_create(*, municipality_id: int, actor, data: dict[str, Any]) -> WorkplaceCapacity:
    """A new capacity row of the municipality (rules in the module docstring); audit
    "placements.workplacecapacity.created"."""
    _unknown(data)
    with transaction.atomic():
        capacity = WorkplaceCapacity(municipality_id=municipality_id, **data)
        _check(capacity)
        capacity.save()
        audit_record(
            actor=actor,
            action="placements.workplacecapacity.created",
            obj=capacity,
            changes=model_changes({}, snapshot(capacity, CAPACITY_FIELDS)),
        )
    return capacity


def capacity_update(
    *, capacity: WorkplaceCapacity, actor, data: dict[str, Any], expected_version: int
) -> WorkplaceCapacity:
    """Change a capacity row; refused when `expected_version` is stale or a rule fails.
    Audit "placements.workplacecapacity.updated" with {field: [old, new]}."""
    _unknown(data)
    with transaction.atomic():
        locked = WorkplaceCapacity.objects.select_for_update().get(pk=capacity.pk)
        if locked.version != expected_version:
            raise _stale()
        before = snapshot(locked, CAPACITY_FIELDS)
        for name, value in data.items():
            setattr(locked, name, value)
        _check(locked)
        changes = model_changes(before, snapshot(locked, CAPACITY_FIELDS))
        if not changes:
            return locked
        locked.version += 1
        locked.save()
        audit_record(
            actor=actor,
            action="placements.workplacecapacity.updated",
            obj=locked,
            changes=changes,
        )
    return locked


def capacity_delete(*, capacity: WorkplaceCapacity, actor, expected_version: int) -> None:
    """Delete a capacity row; refused when stale. Audit "placements.workplacecapacity.deleted"
    with what it was."""
    with transaction.atomic():
        locked = WorkplaceCapacity.objects.select_for_update().get(pk=capacity.pk)
        if locked.version != expected_version:
            raise _stale()
        audit_record(
            actor=actor,
            action="placements.workplacecapacity.deleted",
            obj=locked,
            changes=model_changes(
                snapshot(locked, CAPACITY_FIELDS), dict.fromkeys(CAPACITY_FIELDS)
            ),
        )
        locked.delete()


def planning_settings_update(
    *, municipality_id: int, actor, supervisor_max_trainees: int, expected_version: int
) -> PlanningSettings:
    """Set the municipality's default supervisor maximum (at least 1); the row is created on
    first save (version 0 means "not saved yet"). Refused when stale; audit
    "placements.planningsettings.updated"."""
    with transaction.atomic():
        settings, _created = PlanningSettings.objects.select_for_update().get_or_create(
            municipality_id=municipality_id, defaults={"version": 0}
        )
        if settings.version != expected_version:
            raise ValidationError(
                _(
                    "Indstillingerne er blevet ændret af en anden, siden du åbnede siden. "
                    "Genindlæs siden, og ret derefter igen."
                ),
                code="stale",
            )
        before = snapshot(settings, ["supervisor_max_trainees"])
        settings.supervisor_max_trainees = supervisor_max_trainees
        settings.full_clean()
        changes = model_changes(before, snapshot(settings, ["supervisor_max_trainees"]))
        if not changes:  # a save without a change is no edit: no new version, no audit entry
            return settings
        settings.version += 1
        settings.save()
        audit_record(
            actor=actor,
            action="placements.planningsettings.updated",
            obj=settings,
            changes=changes,
        )
    return settings
