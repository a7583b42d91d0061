"""Reads of supervisors for the people pages: per-workplace lists with each supervisor's
current trainees, and one supervisor's page."""

from __future__ import annotations

import datetime

from django.apps import apps
from django.db.models import Prefetch, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from apps.core.models import AuditEntry
from apps.core.scoping import Scope
from apps.supervisors.models import Supervisor


def _placement_model():
    # Placements belong to the trainees app, which depends on this one; resolving the model
    # by name keeps imports pointing one way (STYLE.md B2).
    return apps.get_model("trainees", "Placement")


def _scoped_placements(scope: Scope):
    """Placements whose trainee `scope` may see (a leader: own departments' trainees only)."""
    return (
        _placement_model()
        .objects.in_scope(scope)
        .select_related("trainee", "trainee__programme", "workplace")
    )


def supervisor_list(*, scope: Scope, on_date: datetime.date | None = None) -> QuerySet:
    """Supervisors `scope` may see, ordered by department and workplace, each with
    `current_placements`: the visible trainees they supervise on `on_date` (one prefetch)."""
    on_date = on_date or timezone.localdate()
    return (
        Supervisor.objects.in_scope(scope)
        .select_related("workplace", "workplace__department", "qualification")
        .prefetch_related(
            Prefetch(
                "placements",
                queryset=_scoped_placements(scope).current(on_date).order_by("trainee__last_name"),
                to_attr="current_placements",
            )
        )
        .order_by("workplace__department__order", "workplace__name", "name", "pk")
    )


def supervisor_get(*, scope: Scope, pk: int) -> Supervisor:
    """One supervisor inside `scope`, else 404."""
    return get_object_or_404(
        Supervisor.objects.in_scope(scope).select_related(
            "workplace", "workplace__department", "qualification"
        ),
        pk=pk,
    )


def supervisor_placements(*, scope: Scope, supervisor: Supervisor) -> list:
    """All placements (current and past) of `supervisor` whose trainee `scope` may see."""
    return list(_scoped_placements(scope).filter(supervisor=supervisor).order_by("-start_date"))


def supervisor_history(*, supervisor: Supervisor) -> list[AuditEntry]:
    """Changes recorded on the supervisor (lookups are left out)."""
    return list(
        AuditEntry.objects.for_object(supervisor).exclude(action__in=AuditEntry.LOOKUP_ACTIONS)[
            :100
        ]
    )
