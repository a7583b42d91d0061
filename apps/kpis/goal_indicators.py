"""The indicators of one goal as a reader may see them: the block the goal page shows through
`{% goal_indicators goal scope %}` (apps/kpis/templatetags/kpi_tags.py).

Visibility is `Indicator.objects.visible_to(scope)` and every figure passes the small-number
rule for this reader (`apps.kpis.selectors.measurement_result`). Three queries at most: the
goal's indicators, their measurements, and (for coordinators) the indicators one may link.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Prefetch
from django.utils.translation import gettext as _

from apps.core.scoping import Scope
from apps.kpis.choices import Unit
from apps.kpis.disclosure import SUPPRESSED_LABEL, few_persons_text, hidden_note
from apps.kpis.models import Indicator, Measurement
from apps.kpis.results import KpiResult
from apps.kpis.selectors import measurement_result
from apps.kpis.targets import (
    TargetJudgement,
    distance_text,
    expected_on_path,
    judge,
    target_level,
    target_text,
    value_text,
)
from apps.strategy.choices import StrategyStatus
from apps.strategy.models import Goal


def shown_value(result: KpiResult) -> str:
    """The value as Danish text; the hidden-count label or "–" when the small-number rule
    hides it."""
    if result.suppressed:
        return SUPPRESSED_LABEL if result.unit == Unit.COUNT else "–"
    return value_text(result.value, result.unit)


@dataclass
class IndicatorChart:
    """A trajectory chart (Chart.js config for json_script) with its data table."""

    id: str
    title: str
    description: str
    config: dict
    headers: list[str]
    rows: list[list[str]]
    note: str = ""

    @property
    def withheld(self) -> bool:
        return self.config["withheld"]


@dataclass
class GoalIndicatorRow:
    indicator: Indicator
    value: str = "–"
    period: int | None = None
    detail: str = ""  # "Færre end 5 personer", "(afrundet)"
    baseline: str = ""
    target: str = ""
    judgement: TargetJudgement | None = None
    distance: str = ""
    chart: IndicatorChart | None = None
    suppressed: bool = False

    @property
    def no_status_text(self) -> str:
        """Why there is no trajectory status, in words (shown instead of a badge)."""
        if not self.target:
            return _("Intet mål at måle mod")
        if self.suppressed:
            return _("Vises ikke (for få personer)")
        return _("Ingen data")


@dataclass
class GoalIndicatorBlock:
    goal: Goal
    rows: list[GoalIndicatorRow] = field(default_factory=list)
    can_link: bool = False
    choices: list[Indicator] = field(default_factory=list)

    @property
    def chart_configs(self) -> list[dict]:
        return [r.chart.config for r in self.rows if r.chart is not None]


def can_link_indicators(scope: Scope, goal: Goal) -> bool:
    """Coordinators choose a goal's indicators, on a draft or an adopted strategy."""
    return scope.can_edit_strategy and goal.focus_area.strategy.status != StrategyStatus.ARCHIVED


def _baseline(indicator: Indicator) -> str:
    if indicator.baseline_value is None:
        return ""
    text = value_text(indicator.baseline_value, indicator.unit)
    if indicator.baseline_period:
        return _("%(value)s (%(year)s)") % {"value": text, "year": indicator.baseline_period}
    return text


def _chart(indicator: Indicator, results: dict[int, KpiResult]) -> IndicatorChart:
    periods = sorted(
        set(results) | {p for p in (indicator.baseline_period, indicator.target_period) if p}
    )
    hidden = [i for i, p in enumerate(periods) if p in results and results[p].suppressed]
    measured = [
        None if p not in results or results[p].value is None else round(results[p].value, 2)
        for p in periods
    ]
    datasets = [{"label": _("Målt"), "data": measured}]
    if hidden:
        datasets[0]["suppressed"] = hidden
    if indicator.baseline_value is not None:
        datasets.append(
            {
                "label": _("Baseline"),
                "data": [float(indicator.baseline_value)] * len(periods),
                "role": "baseline",
            }
        )
    path = []
    if target_level(indicator) is not None:
        path = [expected_on_path(indicator, p) for p in periods]
        datasets.append(
            {
                "label": _("Vej til mål"),
                "data": [None if v is None else round(float(v), 2) for v in path],
                "role": "target",
            }
        )
    rows = []
    for i, p in enumerate(periods):
        row = [str(p), shown_value(results[p]) if p in results else "–"]
        if path:
            row.append(value_text(path[i], indicator.unit))
        rows.append(row)
    withheld = bool(hidden) and all(v is None for v in measured)
    chart_id = f"chart-goal-indicator-{indicator.pk}"
    title = _("Udvikling: %(name)s") % {"name": indicator.name}
    return IndicatorChart(
        id=chart_id,
        title=title,
        description=_("%(name)s pr. år med baseline og den lige vej til målet: %(rows)s")
        % {"name": indicator.name, "rows": "; ".join(f"{r[0]}: {r[1]}" for r in rows)},
        config={
            "id": chart_id,
            "hiddenMark": SUPPRESSED_LABEL,
            "type": "line",
            "labels": [str(p) for p in periods],
            "datasets": datasets,
            "unit": indicator.unit,
            "horizontal": False,
            "stacked": False,
            "allLabels": False,
            "withheld": withheld,
        },
        headers=[_("År"), _("Målt")] + ([_("Vej til mål")] if path else []),
        rows=rows,
        note=(
            _("For få personer til at vise udviklingen.")
            if withheld
            else hidden_note()
            if hidden
            else ""
        ),
    )


def _row(indicator: Indicator, scope: Scope) -> GoalIndicatorRow:
    row = GoalIndicatorRow(
        indicator=indicator, baseline=_baseline(indicator), target=target_text(indicator)
    )
    measurements = [m for m in indicator.measurements.all() if m.value is not None]
    if not measurements:
        return row
    results = {m.period: measurement_result(indicator, m, scope) for m in measurements}
    latest = measurements[-1]
    result = results[latest.period]
    row.value, row.period = shown_value(result), latest.period
    row.suppressed = result.suppressed
    if result.suppressed:
        row.detail = few_persons_text()
    elif result.rounded:
        row.detail = _("afrundet")
    if not result.suppressed and target_level(indicator) is not None:
        row.judgement = judge(indicator, result.value, latest.period)
        row.distance = distance_text(indicator, row.judgement)
    row.chart = _chart(indicator, results)
    return row


def goal_indicator_block(*, goal: Goal, scope: Scope) -> GoalIndicatorBlock:
    """The goal's indicators `scope` may see, each with its latest value, baseline, target,
    trajectory status and chart; for coordinators also the indicators they may link."""
    indicators = (
        Indicator.objects.visible_to(scope)
        .filter(goals=goal)
        .select_related("department", "programme")
        .prefetch_related(Prefetch("measurements", queryset=Measurement.objects.order_by("period")))
        .order_by("order", "name")
    )
    block = GoalIndicatorBlock(goal=goal, rows=[_row(i, scope) for i in indicators])
    block.can_link = can_link_indicators(scope, goal)
    if block.can_link:
        linked = {r.indicator.pk for r in block.rows}
        block.choices = [
            i
            for i in Indicator.objects.in_scope(scope)
            .filter(municipality_id=goal.focus_area.strategy.municipality_id)
            .select_related("department")
            .order_by("name")
            if i.pk not in linked
        ]
    return block
