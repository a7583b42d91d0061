"""Reads that span the strategy models: the grid, follow-up lists, history and timelines.

Each selector runs a fixed number of queries, however many goals a strategy has
(pinned by tests/strategy/test_queries.py).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db.models import Count, F, Prefetch, Q, Sum
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.translation import gettext_lazy as _

from apps.core.formatting import format_date
from apps.core.models import AuditEntry
from apps.core.scoping import Scope
from apps.organisation.models import Department
from apps.strategy.choices import GoalStatus, InitiativeStatus
from apps.strategy.models import FocusArea, Goal, Initiative, StatusUpdate, Strategy

FOLLOW_UP_WINDOW_DAYS = 30
QUIET_DAYS = 183  # "no update for 6 months"
CLOSED_GOAL_STATUSES = (GoalStatus.ACHIEVED, GoalStatus.NOT_ACHIEVED)
CLOSED_INITIATIVE_STATUSES = (InitiativeStatus.IMPLEMENTED, InitiativeStatus.NOT_IMPLEMENTED)


# ---------------------------------------------------------------------------
# Strategy list and grid
# ---------------------------------------------------------------------------


def strategy_list(*, scope: Scope):
    """The municipality's strategy versions, newest first, with their goal counts."""
    return (
        Strategy.objects.in_scope(scope)
        .select_related("previous_version")
        .annotate(
            focus_area_count=Count("focus_areas", distinct=True),
            goal_count=Count("focus_areas__goals", distinct=True),
            initiative_count=Count("initiatives", distinct=True),
        )
        .order_by("-created_at", "-id")
    )


@dataclass
class GridCell:
    """The goals of one focus area for one department (or its common goals)."""

    focus_area: FocusArea
    department: Department | None
    goals: list[Goal] = field(default_factory=list)
    mine: bool = False

    @property
    def dom_id(self) -> str:
        suffix = self.department.pk if self.department else "faelles"
        return f"celle-{self.focus_area.pk}-{suffix}"

    @property
    def department_id(self) -> int | None:
        return self.department.pk if self.department else None


@dataclass
class GridRow:
    focus_area: FocusArea
    common: GridCell
    cells: list[GridCell]


def _goal_queryset():
    return Goal.objects.select_related("owner").order_by("order", "id")


def strategy_departments(strategy: Strategy) -> list[Department]:
    return list(Department.objects.filter(municipality_id=strategy.municipality_id))


def strategy_grid(
    *,
    strategy: Strategy,
    scope: Scope,
    focus_area_id: int | None = None,
    department_id: int | None = None,
) -> dict[str, object]:
    """The focus area × department grid the documents use.

    Rows are focus areas; each has a part for the common goals (department empty, "fælles
    mål") and one cell per department of the municipality. A leader's own departments are
    marked `mine`. `department_id` shows one department's column only (the narrow-screen
    view); an id that is not a department of the strategy's municipality shows them all.
    Three queries: departments, focus areas, goals.
    """
    all_departments = strategy_departments(strategy)
    departments = [d for d in all_departments if d.pk == department_id] or all_departments
    shown = {d.pk for d in departments}
    areas = FocusArea.objects.filter(strategy=strategy).select_related("kkr_theme")
    if focus_area_id is not None:
        areas = areas.filter(pk=focus_area_id)
    areas = areas.prefetch_related(Prefetch("goals", queryset=_goal_queryset()))
    mine_ids = scope.own_department_ids
    rows = []
    for area in areas:
        common = GridCell(focus_area=area, department=None)
        cells = {
            d.pk: GridCell(focus_area=area, department=d, mine=d.pk in mine_ids)
            for d in departments
        }
        for goal in area.goals.all():
            if goal.department_id is None:
                common.goals.append(goal)
            elif goal.department_id in shown:
                cells[goal.department_id].goals.append(goal)
        rows.append(GridRow(focus_area=area, common=common, cells=list(cells.values())))
    return {
        "departments": [(d, d.pk in mine_ids) for d in departments],
        "all_departments": all_departments,
        "department_filter": departments[0] if len(departments) < len(all_departments) else None,
        "rows": rows,
    }


def grid_cell(*, focus_area: FocusArea, department: Department | None, scope: Scope) -> GridCell:
    """One cell of the grid, re-rendered after a goal is added, moved or removed."""
    goals = list(
        _goal_queryset().filter(
            focus_area=focus_area, department_id=department.pk if department else None
        )
    )
    mine = bool(department and scope.owns_department(department.pk))
    return GridCell(focus_area=focus_area, department=department, goals=goals, mine=mine)


def goal_position(goal: Goal) -> tuple[bool, bool]:
    """(is_first, is_last) of a goal within its cell, for the move buttons."""
    ids = list(
        Goal.objects.filter(focus_area_id=goal.focus_area_id, department_id=goal.department_id)
        .order_by("order", "id")
        .values_list("id", flat=True)
    )
    return (ids[:1] == [goal.pk], ids[-1:] == [goal.pk])


# ---------------------------------------------------------------------------
# Follow-up ("opfølgning uden rykkere")
# ---------------------------------------------------------------------------


@dataclass
class FollowUpItem:
    item: Goal | Initiative
    kind: str  # "goal" or "initiative"
    reasons: list[str]
    overdue: bool


def _reasons(item, *, today: datetime.date, quiet_since: datetime.datetime) -> list[str]:
    reasons = []
    if item.follow_up_on and item.follow_up_on < today:
        days = (today - item.follow_up_on).days
        reasons.append(_("Opfølgningsdato overskredet med %(days)s dage") % {"days": days})
    elif item.follow_up_on:
        days = (item.follow_up_on - today).days
        reasons.append(_("Opfølgning om %(days)s dage") % {"days": days})
    if item.last_update_at < quiet_since:
        reasons.append(_("Ingen opdatering i over 6 måneder"))
    return reasons


def follow_up_list(*, scope: Scope, today: datetime.date | None = None) -> dict[str, list]:
    """Goals and initiatives that need follow-up, so nobody has to chase them by hand.

    An item is listed when its follow-up date has passed or falls within 30 days, or when
    it has had no status note for 6 months (an item never updated counts from when it was
    created). Only open items of draft or adopted strategies are listed: achieved, not
    achieved, implemented and not implemented ones are done.
    """
    today = today or timezone.localdate()
    due = today + datetime.timedelta(days=FOLLOW_UP_WINDOW_DAYS)
    quiet_since = timezone.now() - datetime.timedelta(days=QUIET_DAYS)
    condition = Q(follow_up_on__lte=due) | Q(last_update_at__lt=quiet_since)
    order = (F("follow_up_on").asc(nulls_last=True), "id")
    goals = (
        Goal.objects.in_scope(scope)
        .current()
        .exclude(status__in=CLOSED_GOAL_STATUSES)
        .with_last_update()
        .filter(condition)
        .select_related("owner", "department", "focus_area__strategy")
        .order_by(*order)
    )
    initiatives = (
        Initiative.objects.in_scope(scope)
        .current()
        .exclude(status__in=CLOSED_INITIATIVE_STATUSES)
        .with_last_update()
        .filter(condition)
        .select_related("owner", "department", "strategy")
        .order_by(*order)
    )

    def wrap(items, kind):
        return [
            FollowUpItem(
                item=i,
                kind=kind,
                reasons=_reasons(i, today=today, quiet_since=quiet_since),
                overdue=bool(i.follow_up_on and i.follow_up_on < today),
            )
            for i in items
        ]

    return {"goals": wrap(goals, "goal"), "initiatives": wrap(initiatives, "initiative")}


# ---------------------------------------------------------------------------
# Initiatives
# ---------------------------------------------------------------------------


def initiative_queryset(*, scope: Scope):
    return (
        Initiative.objects.in_scope(scope)
        .select_related("strategy", "focus_area", "department", "owner")
        .order_by("strategy", "order", "id")
    )


def initiative_totals(queryset) -> dict[str, object]:
    """Count and budget sum of a (filtered) initiative list, in one query."""
    return queryset.order_by().aggregate(
        count=Count("id"),
        budget=Sum("budget_dkk"),
        with_budget=Count("id", filter=Q(budget_dkk__isnull=False)),
    )


def status_timeline(item: Goal | Initiative) -> list[StatusUpdate]:
    """The item's status notes, newest first, with their authors."""
    return list(item.status_updates.select_related("author").order_by("-created_at", "-id"))


# ---------------------------------------------------------------------------
# History (revisionsspor)
# ---------------------------------------------------------------------------

ACTION_LABELS = {
    "created": _("Oprettet"),
    "updated": _("Ændret"),
    "deleted": _("Fjernet"),
    "moved": _("Flyttet"),
    "status_posted": _("Status skrevet"),
    "adopted": _("Vedtaget"),
    "reopened": _("Genåbnet"),
    "archived": _("Arkiveret"),
    "copied": _("Kopieret til ny version"),
    "reminded": _("Påmindelse sendt"),
    "suggestion_changed": _("Nøgletallenes forslag ændret"),
    "suggestion_confirmed": _("Forslaget bekræftet"),
    "status_overridden": _("Anden status end forslaget valgt"),
    "indicator_linked": _("Nøgletal tilknyttet"),
    "indicator_unlinked": _("Nøgletal fjernet"),
}
MODEL_BY_TYPE = {
    m._meta.label_lower: m for m in (Strategy, FocusArea, Goal, Initiative, StatusUpdate)
}


@dataclass
class HistoryEntry:
    entry: AuditEntry
    who: str
    action: str
    object_label: str
    changes: list[tuple[str, str, str]]


def _display(model, name: str, value) -> str:
    if value is None or value == "":
        return "–"
    try:
        model_field = model._meta.get_field(name)
    except Exception:  # noqa: BLE001 - fields recorded by an older model version
        return str(value)
    if model_field.auto_created and not model_field.concrete:
        return str(value)  # a reverse link (a goal's indicators), recorded as names
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if model_field.get_internal_type() == "DateField" and isinstance(value, str):
        parsed = parse_date(value)
        return format_date(parsed) if parsed else value
    return str(value)


def _label(model, name: str) -> str:
    try:
        model_field = model._meta.get_field(name)
    except Exception:  # noqa: BLE001
        return name
    if model_field.auto_created and not model_field.concrete:
        return str(model_field.related_model._meta.verbose_name_plural).capitalize()
    return str(model_field.verbose_name).capitalize()


def describe(entries) -> list[HistoryEntry]:
    """Audit entries as readable rows: who, what, and each field's old → new value."""
    rows = []
    for entry in entries:
        model = MODEL_BY_TYPE.get(entry.object_type)
        verb = entry.action.rsplit(".", 1)[-1]
        actor = entry.actor
        if actor:
            who = actor.get_full_name() or actor.username
        elif entry.actor_label == "system":
            who = _("Portalen (automatisk)")
        else:
            who = entry.actor_label
        changes = []
        if model is not None:
            for name, (old, new) in entry.changes.items():
                changes.append(
                    (_label(model, name), _display(model, name, old), _display(model, name, new))
                )
        object_label = str(model._meta.verbose_name).capitalize() if model else entry.object_type
        rows.append(
            HistoryEntry(
                entry=entry,
                who=who,
                action=str(ACTION_LABELS.get(verb, verb)),
                object_label=object_label,
                changes=changes,
            )
        )
    return rows


def item_history(obj) -> list[HistoryEntry]:
    """The recorded changes of one goal, initiative, focus area or strategy, newest first."""
    return describe(AuditEntry.objects.for_object(obj).select_related("actor"))


def strategy_history(strategy: Strategy, *, limit: int = 50) -> list[HistoryEntry]:
    """Recent changes to a strategy and everything in it (also goals since removed)."""
    entries = (
        AuditEntry.objects.filter(
            Q(object_type="strategy.strategy", object_id=str(strategy.pk))
            | Q(context__strategy_id=strategy.pk)
        )
        .select_related("actor")
        .order_by("-occurred_at", "-id")[:limit]
    )
    return describe(entries)
