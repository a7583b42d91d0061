"""The goal and initiative lists as spreadsheets (xlsx and csv), through the shared, audited
export machinery of `apps.core.exports`: the list's filters apply, every cell that could be
read as a formula is neutralised, and each export is logged with its criteria."""

from __future__ import annotations

from collections.abc import Iterator

from django.db.models import Prefetch
from django.utils.translation import gettext as _

from apps.core.exports import ListExport
from apps.core.scoping import Scope
from apps.strategy.filters import GoalFilter, InitiativeFilter
from apps.strategy.models import Goal, Initiative, StatusUpdate
from apps.strategy.selectors import initiative_queryset


def person(user) -> str:
    return (user.get_full_name() or user.username) if user is not None else ""


def joined(texts) -> str:
    """Several linked items in one cell, one per line."""
    return "\n".join(str(t) for t in texts)


# --- initiatives ---------------------------------------------------------------------------


def initiative_headers(scope: Scope) -> list[str]:
    return [
        _("Nr."),
        _("Indsats"),
        _("Strategi"),
        _("Indsatsområde"),
        _("KKR-tema"),
        _("Fagområde"),
        _("Status"),
        _("Implementeret år"),
        _("Ansvarlig"),
        _("Næste skridt"),
        _("Opfølgningsdato"),
        _("Budget (kr.)"),
        _("Ophav"),
        _("Målsætninger"),
    ]


def initiative_filterset(data, scope: Scope) -> InitiativeFilter:
    queryset = (
        initiative_queryset(scope=scope)
        .select_related("focus_area__kkr_theme")
        .prefetch_related(Prefetch("goals", queryset=Goal.objects.order_by("order", "id")))
    )
    return InitiativeFilter(data, queryset=queryset, scope=scope)


def initiative_rows(initiatives, scope: Scope) -> Iterator[list]:
    for i in initiatives:
        area = i.focus_area
        yield [
            i.reference,
            i.title,
            str(i.strategy),
            area.title if area else "",
            str(area.kkr_theme) if area and area.kkr_theme else "",
            i.department.name if i.department else _("Hele kommunen"),
            i.get_status_display(),
            i.implemented_year,
            i.responsible or person(i.owner),
            i.next_step,
            i.follow_up_on,
            int(i.budget_dkk) if i.budget_dkk is not None else None,
            i.origin,
            joined(g.text for g in i.goals.all()),
        ]


INITIATIVE_EXPORT = ListExport(
    label="strategy.initiative",
    name=lambda: _("indsatser"),
    permission="can_read_strategy",
    headers=initiative_headers,
    filterset=initiative_filterset,
    rows=initiative_rows,
)


# --- goals ---------------------------------------------------------------------------------


def goal_headers(scope: Scope) -> list[str]:
    return [
        _("Strategi"),
        _("Indsatsområde"),
        _("KKR-tema"),
        _("Fagområde"),
        _("Målsætning"),
        _("Ansvarlig"),
        _("Status"),
        _("Foreslået status"),
        _("Opfølgningsdato"),
        _("Seneste statusnote"),
        _("Indsatser"),
    ]


def goal_filterset(data, scope: Scope) -> GoalFilter:
    queryset = (
        Goal.objects.in_scope(scope)
        .select_related("focus_area__strategy", "focus_area__kkr_theme", "department", "owner")
        .prefetch_related(
            Prefetch("status_updates", queryset=StatusUpdate.objects.order_by("-created_at")),
            Prefetch("initiatives", queryset=Initiative.objects.order_by("order", "id")),
        )
        .order_by("focus_area__strategy", "focus_area__order", "focus_area_id", "order", "id")
    )
    return GoalFilter(data, queryset=queryset, scope=scope)


def goal_rows(goals, scope: Scope) -> Iterator[list]:
    for g in goals:
        area = g.focus_area
        notes = list(g.status_updates.all())
        yield [
            str(area.strategy),
            area.title,
            str(area.kkr_theme) if area.kkr_theme else "",
            g.department.name if g.department else _("Hele kommunen"),
            g.text,
            person(g.owner),
            g.get_status_display(),
            g.get_suggested_status_display() if g.suggested_status else "",
            g.follow_up_on,
            notes[0].note if notes else "",
            joined(i.title for i in g.initiatives.all()),
        ]


GOAL_EXPORT = ListExport(
    label="strategy.goal",
    name=lambda: _("maalsaetninger"),
    permission="can_read_strategy",
    headers=goal_headers,
    filterset=goal_filterset,
    rows=goal_rows,
)
