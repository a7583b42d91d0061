"""Writing a supervisor from the portal: their own placement-planning maximum.

`supervisor_set_max_trainees` sets `Supervisor.max_trainees` (at least 1, or None for the
municipality's default), refused when the version the editor loaded is stale, audited as
"supervisors.supervisor.updated"."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from apps.core.audit import audit_record
from apps.supervisors.models import Supervisor


def supervisor_set_max_trainees(
    *, supervisor: Supervisor, actor, max_trainees: int | None, expected_version: int
) -> Supervisor:
    """Set the supervisor's own maximum (None: the municipality's default)."""
    with transaction.atomic():
        locked = Supervisor.objects.select_for_update().get(pk=supervisor.pk)
        if locked.version != expected_version:
            raise ValidationError(
                _(
                    "Vejlederen er blevet ændret af en anden, siden du åbnede siden. "
                    "Genindlæs siden, og ret derefter igen."
                ),
                code="stale",
            )
        old = locked.max_trainees
        if old == max_trainees:
            return locked
        locked.max_trainees = max_trainees
        locked.full_clean()
        locked.version += 1
        locked.save()
        audit_record(
            actor=actor,
            action="supervisors.supervisor.updated",
            obj=locked,
            changes={"max_trainees": [old, max_trainees]},
        )
    return locked
