"""Reads of trainees for the people pages: scoped lists, one person's page, and the
field-level protection of dropout reasons, which may be health data (DOMAIN.md, "Rules that
hold everywhere"; SECURITY.md, "Health data")."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from apps.core.audit import AuditMask, meaning_visible
from apps.core.models import AuditEntry
from apps.core.scoping import Scope
from apps.trainees.apps import DROPOUT_REASON
from apps.trainees.models import Absence, DropoutReason, Placement, Trainee


def shows_dropout_reasons(scope: Scope) -> bool:
    """True when `scope` may see dropout reasons and their notes per person: HR,
    coordinators and admins (`can_see_health`).

    Rule: every reason is hidden from other roles, not only the health-related one. Illness
    is the only health reason, so masking it alone ("Fortrolig årsag") would name exactly who
    left for health reasons, and an unknown reason's text lands in the note.
    """
    return meaning_visible(DROPOUT_REASON, scope)


def visible_dropout_reason(trainee: Trainee, scope: Scope) -> str:
    """The dropout reason's name, or "" for a role that may not see reasons per person."""
    reason = trainee.dropout_reason
    if reason is None or not shows_dropout_reasons(scope):
        return ""
    return reason.name


def visible_dropout_note(trainee: Trainee, scope: Scope) -> str:
    """The free-text dropout note, hidden with the reason (a note may name the illness)."""
    if not shows_dropout_reasons(scope):
        return ""
    return trainee.dropout_note


def visible_dropout_reasons(scope: Scope) -> QuerySet[DropoutReason]:
    """The reasons `scope` may filter by: none for roles that may not see reasons."""
    reasons = DropoutReason.objects.all()
    if not shows_dropout_reasons(scope):
        reasons = reasons.none()
    return reasons


def trainee_list(*, scope: Scope) -> QuerySet[Trainee]:
    """All trainees `scope` may see, with what a list row shows (no query per row)."""
    return Trainee.objects.in_scope(scope).select_related(
        "programme",
        "department",
        "dropout_reason",
        "dropout_phase",
        "hired_into_department",
        "hired_into_workplace",
    )


def trainee_get(*, scope: Scope, pk: int) -> Trainee:
    """One trainee inside `scope`, else 404 (never 403: existence is not revealed)."""
    return get_object_or_404(trainee_list(scope=scope), pk=pk)


@dataclass(frozen=True)
class AbsenceYear:
    """One calendar year of a trainee's monthly absence with its totals."""

    year: int
    months: list[Absence]
    sick_days: float
    planned_days: float

    @property
    def rate(self) -> float | None:
        """Sick absence in percent (DOMAIN.md: Σ sick days ÷ Σ planned working days)."""
        return 100 * self.sick_days / self.planned_days if self.planned_days else None


def _absence_by_year(absences: Iterable[Absence]) -> list[AbsenceYear]:
    by_year: dict[int, list[Absence]] = {}
    for absence in absences:
        by_year.setdefault(absence.year, []).append(absence)
    return [
        AbsenceYear(
            year=year,
            months=months,
            sick_days=float(sum(a.sick_days for a in months)),
            planned_days=float(sum(a.planned_days for a in months)),
        )
        for year, months in sorted(by_year.items(), reverse=True)
    ]


@dataclass(frozen=True)
class TraineePage:
    """Everything the trainee detail page shows."""

    trainee: Trainee
    placements: list[Placement]
    absence_years: list[AbsenceYear]
    history: list[AuditEntry]


def trainee_page(*, scope: Scope, trainee: Trainee) -> TraineePage:
    """A trainee's placements, absence by month and change history, as `scope` may see them."""
    placements = list(
        Placement.objects.in_scope(scope)
        .filter(trainee=trainee)
        .select_related("workplace", "supervisor")
        .order_by("start_date")
    )
    absences = Absence.objects.in_scope(scope).filter(trainee=trainee).order_by("month")
    history = AuditEntry.objects.for_object(trainee).exclude(action__in=AuditEntry.LOOKUP_ACTIONS)
    return TraineePage(
        trainee=trainee,
        placements=placements,
        absence_years=_absence_by_year(absences),
        history=AuditMask(scope).entries(history[:100]),
    )
