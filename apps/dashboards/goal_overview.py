"""The leader's page at a glance: where a department stands against its goals.

The department's goals and the municipality's fælles mål of the strategy in force, each with
its KPI (the linked indicators' latest value against the target, under the small-number
rule), the status the indicators suggest, the owner's own status, the owner and the next
follow-up; a summary line; the goals that need attention first; then every goal grouped by
focus area, sorted by what needs attention; and the department's initiatives.

Five queries whatever the number of goals: the strategy, the goals (with focus area and
owner), their indicators, the indicators' measurements, and the initiatives.
"""

from __future__ import annotations

import datetime
import hashlib
from dataclasses import dataclass, field

from django.db.models import Case, F, IntegerField, Prefetch, Q, QuerySet, Value, When
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from apps.core.scoping import Scope
from apps.kpis.disclosure import few_persons_text
from apps.kpis.models import Indicator, Measurement
from apps.kpis.selectors import measurement_result
from apps.kpis.targets import target_text, value_text
from apps.organisation.models import Department
from apps.strategy.choices import GoalStatus, InitiativeStatus, StrategyStatus, SuggestedStatus
from apps.strategy.models import Goal, Initiative, Strategy
from apps.strategy.selectors import (
    CLOSED_GOAL_STATUSES,
    CLOSED_INITIATIVE_STATUSES,
    FOLLOW_UP_WINDOW_DAYS,
)

# What needs attention first: behind or overdue, then no data, on track, achieved, and
# last the goals no indicator measures.
RANK_ATTENTION, RANK_NO_DATA, RANK_ON_TRACK, RANK_ACHIEVED, RANK_UNMEASURED = range(5)
SUGGESTION_RANK = {
    SuggestedStatus.NO_DATA: RANK_NO_DATA,
    SuggestedStatus.ON_TRACK: RANK_ON_TRACK,
    SuggestedStatus.ACHIEVED: RANK_ACHIEVED,
    SuggestedStatus.BEHIND: RANK_ATTENTION,
}
# Colour is only the second cue: every badge carries its label. The suggestion's badge is
# the strategy pages' own (`{% suggested_badge %}` in strategy_tags), so it reads the same.
GOAL_STATUS_CSS = {
    GoalStatus.NOT_STARTED: "status-neutral",
    GoalStatus.IN_PROGRESS: "status-info",
    GoalStatus.ON_TRACK: "status-good",
    GoalStatus.BEHIND: "status-bad",
    GoalStatus.ACHIEVED: "status-good",
    GoalStatus.NOT_ACHIEVED: "status-bad",
}
INITIATIVE_STATUS_CSS = {
    InitiativeStatus.PLANNED: "status-info",
    InitiativeStatus.AWAITING: "status-warn",
    InitiativeStatus.IN_PROGRESS: "status-info",
    InitiativeStatus.PARTIALLY_IMPLEMENTED: "status-info",
    InitiativeStatus.IMPLEMENTED: "status-good",
    InitiativeStatus.NOT_IMPLEMENTED: "status-bad",
}


def strategy_in_force(strategies: QuerySet[Strategy]) -> Strategy | None:
    """The strategy in force among one municipality's `strategies`: the newest adopted
    version, else the newest draft (a municipality writing its first strategy); never an
    archived one. One query."""
    return (
        strategies.exclude(status=StrategyStatus.ARCHIVED)
        .order_by(
            Case(
                When(status=StrategyStatus.ADOPTED, then=Value(0)),
                default=Value(1),
                output_field=IntegerField(),
            ),
            F("adopted_on").desc(nulls_last=True),
            "-created_at",
            "-id",
        )
        .first()
    )


def person_name(user) -> str | None:
    return (user.get_full_name() or user.username) if user is not None else None


@dataclass
class KpiLine:
    """One linked indicator as a leader reads it: "Frafald SSA: 38 % (2025; mål 37,2 %
    i 2026)". The value passes the small-number rule for this viewer."""

    name: str
    value: str
    period: int | None
    target: str
    suppressed: bool = False

    @property
    def text(self) -> str:
        details = [str(self.period)] if self.period else []
        if self.target:
            details.append(_("mål %(target)s") % {"target": self.target})
        suffix = f" ({'; '.join(details)})" if details else ""
        return f"{self.name}: {self.value}{suffix}"


def kpi_line(indicator: Indicator, scope: Scope) -> KpiLine:
    """The indicator's latest measurement against its target (measurements prefetched)."""
    measurements = sorted(indicator.measurements.all(), key=lambda m: m.period)
    target = target_text(indicator)
    if not measurements:
        return KpiLine(indicator.name, _("ingen måling endnu"), None, target)
    latest = measurements[-1]
    result = measurement_result(indicator, latest, scope)
    if result.suppressed:
        return KpiLine(indicator.name, few_persons_text().lower(), latest.period, target, True)
    return KpiLine(indicator.name, value_text(result.value, indicator.unit), latest.period, target)


def _due(date: datetime.date | None, closed: bool, today: datetime.date) -> tuple[bool, bool]:
    """(overdue, due within the follow-up window) of an item's follow-up date."""
    if date is None or closed:
        return False, False
    if date < today:
        return True, False
    return False, date <= today + datetime.timedelta(days=FOLLOW_UP_WINDOW_DAYS)


@dataclass
class GoalRow:
    goal: Goal
    kpis: list[KpiLine]
    suggestion: str  # a SuggestedStatus value, or "" when no indicator measures the goal
    overdue: bool
    due_soon: bool

    @property
    def behind(self) -> bool:
        return SuggestedStatus.BEHIND in (self.suggestion, self.goal.status)

    @property
    def needs_attention(self) -> bool:
        return self.behind or self.overdue

    @property
    def rank(self) -> int:
        if self.needs_attention:
            return RANK_ATTENTION
        return SUGGESTION_RANK.get(self.suggestion, RANK_UNMEASURED)

    @property
    def sort_key(self) -> tuple:
        date = self.goal.follow_up_on or datetime.date.max
        return (self.rank, date, self.goal.focus_area.order, self.goal.order, self.goal.pk)

    @property
    def url(self) -> str:
        return reverse("strategy:goal_detail", args=[self.goal.pk])

    @property
    def status_css(self) -> str:
        return GOAL_STATUS_CSS.get(self.goal.status, "status-neutral")

    @property
    def owner_name(self) -> str | None:
        return person_name(self.goal.owner)


@dataclass
class InitiativeRow:
    initiative: Initiative
    overdue: bool
    due_soon: bool

    @property
    def url(self) -> str:
        return reverse("strategy:initiative_detail", args=[self.initiative.pk])

    @property
    def status_css(self) -> str:
        return INITIATIVE_STATUS_CSS.get(self.initiative.status, "status-neutral")

    @property
    def owner_name(self) -> str | None:
        return person_name(self.initiative.owner) or self.initiative.responsible or None


@dataclass
class FocusGroup:
    pk: int
    title: str
    order: int
    rows: list[GoalRow] = field(default_factory=list)

    @property
    def attention_count(self) -> int:
        return sum(1 for r in self.rows if r.needs_attention)


@dataclass
class SummaryPart:
    key: str
    count: int
    text: str
    css: str


@dataclass
class GoalOverview:
    strategy: Strategy | None
    rows: list[GoalRow]
    groups: list[FocusGroup]
    initiatives: list[InitiativeRow]
    parts: list[SummaryPart]

    @property
    def attention(self) -> list[GoalRow]:
        return [r for r in self.rows if r.needs_attention]

    @property
    def summary_text(self) -> str:
        """ "3 bagud · 5 på sporet · 2 nået · 12 uden nøgletal · …" """
        return " · ".join(p.text for p in self.parts)


def summarise(rows: list[GoalRow], initiatives: list[InitiativeRow]) -> list[SummaryPart]:
    """The summary line: goals by suggested status, goals no indicator measures, and goals
    and initiatives whose follow-up is due within 30 days or overdue. "bagud" and overdue
    are always said, even at 0 (a leader is looking for exactly those); the rest when any."""
    count = {s: sum(1 for r in rows if r.suggestion == s) for s in SuggestedStatus.values}
    unmeasured = sum(1 for r in rows if not r.suggestion)
    items = [*rows, *initiatives]
    due_soon = sum(1 for i in items if i.due_soon)
    overdue = sum(1 for i in items if i.overdue)
    parts = [
        SummaryPart(
            "behind",
            count[SuggestedStatus.BEHIND],
            _("%(n)s bagud") % {"n": count[SuggestedStatus.BEHIND]},
            "status-bad" if count[SuggestedStatus.BEHIND] else "status-neutral",
        ),
        SummaryPart(
            "on_track",
            count[SuggestedStatus.ON_TRACK],
            _("%(n)s på sporet") % {"n": count[SuggestedStatus.ON_TRACK]},
            "status-info",
        ),
        SummaryPart(
            "achieved",
            count[SuggestedStatus.ACHIEVED],
            _("%(n)s nået") % {"n": count[SuggestedStatus.ACHIEVED]},
            "status-good",
        ),
        SummaryPart(
            "no_data",
            count[SuggestedStatus.NO_DATA],
            _("%(n)s uden data") % {"n": count[SuggestedStatus.NO_DATA]},
            "status-neutral",
        ),
        SummaryPart(
            "unmeasured", unmeasured, _("%(n)s uden nøgletal") % {"n": unmeasured}, "status-neutral"
        ),
        SummaryPart(
            "due_soon",
            due_soon,
            _("%(n)s med opfølgning inden for %(days)s dage")
            % {"n": due_soon, "days": FOLLOW_UP_WINDOW_DAYS},
            "status-warn",
        ),
        SummaryPart(
            "overdue",
            overdue,
            ngettext("%(n)s forfalden opfølgning", "%(n)s forfaldne opfølgninger", overdue)
            % {"n": overdue},
            "status-bad" if overdue else "status-neutral",
        ),
    ]
    return [p for p in parts if p.count or p.key in ("behind", "overdue")]


def _goal_queryset(scope: Scope, strategy: Strategy, department: Department):
    indicators = (
        Indicator.objects.visible_to(scope)
        .filter(Q(department__isnull=True) | Q(department=department))
        .prefetch_related(Prefetch("measurements", queryset=Measurement.objects.order_by("period")))
        .order_by("order", "name")
    )
    return (
        Goal.objects.in_scope(scope)
        .filter(focus_area__strategy=strategy)
        .filter(Q(department=department) | Q(department__isnull=True))
        .select_related("focus_area", "owner")
        .prefetch_related(Prefetch("indicators", queryset=indicators))
        .order_by("focus_area__order", "focus_area_id", "order", "id")
    )


def shown_goals_digest(*, scope: Scope, department: Department) -> str:
    """A digest of every column of the goals the overview may show (the department's and
    the fælles mål of all the municipality's strategies): changes when one of them does,
    not when another department's goal does. One query."""
    fields = [f.attname for f in Goal._meta.concrete_fields]
    rows = (
        Goal.objects.in_scope(scope)
        .filter(focus_area__strategy__municipality_id=department.municipality_id)
        .filter(Q(department=department) | Q(department__isnull=True))
        .order_by("pk")
        .values_list(*fields)
    )
    return hashlib.sha256(repr(list(rows)).encode()).hexdigest()


def goal_overview(
    *, scope: Scope, department: Department, today: datetime.date | None = None
) -> GoalOverview:
    """Everything the leader's goal section shows for `department` (module docstring)."""
    today = today or timezone.localdate()
    strategy = strategy_in_force(
        Strategy.objects.in_scope(scope).filter(municipality_id=department.municipality_id)
    )
    if strategy is None:
        return GoalOverview(None, [], [], [], [])
    rows = []
    for goal in _goal_queryset(scope, strategy, department):
        kpis = [kpi_line(i, scope) for i in goal.indicators.all()]
        suggestion = goal.suggested_status or (SuggestedStatus.NO_DATA if kpis else "")
        overdue, due_soon = _due(goal.follow_up_on, goal.status in CLOSED_GOAL_STATUSES, today)
        rows.append(GoalRow(goal, kpis, suggestion, overdue, due_soon))
    rows.sort(key=lambda r: r.sort_key)
    groups: dict[int, FocusGroup] = {}
    for row in rows:
        area = row.goal.focus_area
        groups.setdefault(area.pk, FocusGroup(area.pk, area.title, area.order)).rows.append(row)
    initiatives = []
    for initiative in (
        Initiative.objects.in_scope(scope)
        .filter(strategy=strategy, department=department)
        .select_related("owner")
        .order_by(F("follow_up_on").asc(nulls_last=True), "order", "title", "id")
    ):
        closed = initiative.status in CLOSED_INITIATIVE_STATUSES
        overdue, due_soon = _due(initiative.follow_up_on, closed, today)
        initiatives.append(InitiativeRow(initiative, overdue, due_soon))
    initiatives.sort(key=lambda r: not r.overdue)  # stable: overdue first, then by date
    ordered = sorted(groups.values(), key=lambda g: (g.order, g.pk))
    return GoalOverview(strategy, rows, ordered, initiatives, summarise(rows, initiatives))
