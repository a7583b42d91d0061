"""Reads of trainees for the people pages: scoped lists, one person's page, and the
field-level protection of health-related dropout reasons (DOMAIN.md, "Rules that hold
everywhere")."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _

from apps.core.models import AuditEntry
from apps.core.scoping import Scope
from apps.trainees.models import Absence, DropoutReason, Placement, Trainee

CONFIDENTIAL_REASON = _("Fortrolig årsag")


def reason_is_hidden(reason: DropoutReason | None, scope: Scope) -> bool:
    """True when `scope` may not see this reason per person (health data, special category)."""
    return reason is not None and reason.is_health_related and not scope.can_see_health


def visible_dropout_reason(trainee: Trainee, scope: Scope) -> str:
    """The dropout reason as `scope` may see it: the neutral "Fortrolig årsag" for a
    health-related reason unless the role may see health data."""
    reason = trainee.dropout_reason
    if reason is None:
        return ""
    if reason_is_hidden(reason, scope):
        return str(CONFIDENTIAL_REASON)
    return reason.name


def visible_dropout_note(trainee: Trainee, scope: Scope) -> str:
    """The free-text dropout note, hidden with its reason (a note may name the illness)."""
    if reason_is_hidden(trainee.dropout_reason, scope):
        return ""
    return trainee.dropout_note


def visible_dropout_reasons(scope: Scope) -> QuerySet[DropoutReason]:
    """The reasons `scope` may filter by: health-related ones only for HR/coordinators."""
    reasons = DropoutReason.objects.all()
    if not scope.can_see_health:
        reasons = reasons.filter(is_health_related=False)
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


def _masked_history(
    entries: Iterable[AuditEntry], scope: Scope, trainee: Trainee
) -> list[AuditEntry]:
    """History rows with health-related reason names (and the note beside them) replaced by
    the neutral category for roles that may not see health data."""
    entries = list(entries)
    if scope.can_see_health:
        return entries
    hidden_names = set()
    for reason in DropoutReason.objects.filter(is_health_related=True):
        hidden_names.add(reason.name)
        hidden_names.update(reason.aliases)
    confidential = str(CONFIDENTIAL_REASON)
    for entry in entries:
        changes = dict(entry.changes or {})
        reason_change = changes.get("dropout_reason") or []
        touches_health = any(value in hidden_names for value in reason_change)
        if touches_health:
            changes["dropout_reason"] = [
                confidential if value in hidden_names else value for value in reason_change
            ]
        if "dropout_note" in changes and (
            touches_health or reason_is_hidden(trainee.dropout_reason, scope)
        ):
            changes["dropout_note"] = [confidential, confidential]
        entry.changes = changes
    return entries


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
        history=_masked_history(history[:100], scope, trainee),
    )
