"""The KKR comparison by theme: for each of KKR Hovedstaden's shared themes, what every
municipality's strategy in force has under it, side by side.

Per theme and municipality: the goals and initiatives of the focus areas mapped to the theme
(counts by status; an initiative without such a focus area counts under its goals' themes)
and the KPIs that belong to the theme (indicators linked to those goals or focus areas) with
their values per year up to the chosen year, under the small-number rule for the reader (a
KKR analyst sees rounded counts, `apps.kpis.disclosure`). The programme filter leaves out
indicators of another programme. A municipality whose strategy in force maps no focus area
to a theme (or that has no strategy) is listed as such.

Eight queries whatever the number of municipalities, themes or goals: themes, strategies in
force, the mapped focus areas, goal counts, initiative counts, indicators, their goals and
their measurements. The caller lifts the tenancy guard (`all_municipalities()`).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Case, Count, F, IntegerField, Prefetch, Q, Value, When
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from apps.core.scoping import Scope
from apps.dashboards.presentation import Chart, cell, chart_value, hidden_text, series
from apps.kpis.choices import Unit
from apps.kpis.models import Indicator, Measurement
from apps.kpis.selectors import measurement_result
from apps.organisation.models import Municipality
from apps.strategy.choices import GoalStatus, InitiativeStatus, StrategyStatus
from apps.strategy.models import FocusArea, Goal, Initiative, KkrTheme, Strategy

TREND_YEARS = 5  # the trend table and chart show up to this many years up to the chosen one


def unmapped_text() -> str:
    return _("Har ikke knyttet indsatsområder til KKR-temaer")


@dataclass
class ThemeKpi:
    """One indicator of a municipality under a theme, with its values per trend year."""

    name: str
    unit: str
    results: list  # KpiResult | None per year of the comparison

    @property
    def texts(self) -> list[str]:
        return [hidden_text(r) if r is not None else "–" for r in self.results]


@dataclass
class ThemeCell:
    """What one municipality has under one theme."""

    municipality: Municipality
    goals: list[tuple[str, int]] = field(default_factory=list)  # (status label, count)
    initiatives: list[tuple[str, int]] = field(default_factory=list)
    kpis: list[ThemeKpi] = field(default_factory=list)

    @property
    def goal_count(self) -> int:
        return sum(n for _s, n in self.goals)

    @property
    def initiative_count(self) -> int:
        return sum(n for _s, n in self.initiatives)


@dataclass
class ThemeComparison:
    theme: KkrTheme
    cells: list[ThemeCell]
    chart: Chart

    @property
    def has_kpis(self) -> bool:
        return any(c.kpis for c in self.cells)


@dataclass
class ThemeOverview:
    years: list[int]
    themes: list[ThemeComparison]
    # No focus area of the strategy in force (or no strategy at all) mapped to a theme.
    unmapped: list[Municipality]

    @property
    def chart_configs(self) -> list[dict]:
        return [t.chart.config for t in self.themes if t.has_kpis and not t.chart.withheld]


def strategies_in_force(municipality_ids) -> dict[int, int]:
    """Each municipality's strategy in force as {municipality id: strategy id}, by the rule
    of `apps.dashboards.goal_overview.strategy_in_force` (newest adopted, else newest draft,
    never archived), for many municipalities in one query (portable: no DISTINCT ON)."""
    rows = (
        Strategy.objects.filter(municipality_id__in=municipality_ids)
        .exclude(status=StrategyStatus.ARCHIVED)
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
        .values_list("municipality_id", "pk")
    )
    result: dict[int, int] = {}
    for municipality_id, pk in rows:
        result.setdefault(municipality_id, pk)
    return result


def _status_counts(rows, choices) -> dict[tuple[int, int], list[tuple[str, int]]]:
    """{(municipality, theme): [(status label, count)]} in the choices' order."""
    labels = dict(choices)
    order = {value: i for i, (value, _l) in enumerate(choices)}
    counts: dict[tuple[int, int], list] = defaultdict(list)
    for r in sorted(rows, key=lambda r: order.get(r["status"], 99)):
        counts[(r["m"], r["theme"])].append((labels.get(r["status"], r["status"]), r["n"]))
    return counts


def kkr_themes(
    *,
    scope: Scope,
    municipalities: list[Municipality],
    years: list[int],
    year: int,
    programme: str | None,
) -> ThemeOverview:
    """The theme comparison (module docstring). Call inside `all_municipalities()`."""
    trend = [y for y in years if y <= year][-TREND_YEARS:]
    themes = list(KkrTheme.objects.order_by("order", "pk"))
    in_force = strategies_in_force([m.pk for m in municipalities])
    strategy_ids = list(in_force.values())
    mapped = set(
        FocusArea.objects.filter(strategy_id__in=strategy_ids, kkr_theme__isnull=False)
        .values_list("strategy__municipality_id", flat=True)
        .distinct()
    )
    goal_counts = _status_counts(
        Goal.objects.filter(
            focus_area__strategy_id__in=strategy_ids, focus_area__kkr_theme__isnull=False
        )
        .values(
            "status",
            m=F("focus_area__strategy__municipality_id"),
            theme=F("focus_area__kkr_theme_id"),
        )
        .annotate(n=Count("id"))
        .order_by(),
        GoalStatus.choices,
    )
    # An initiative belongs to its focus area's theme; one without a mapped focus area to the
    # themes of the goals it serves.
    initiative_counts = _status_counts(
        Initiative.objects.filter(strategy_id__in=strategy_ids)
        .annotate(kkr_theme=Coalesce("focus_area__kkr_theme_id", "goals__focus_area__kkr_theme_id"))
        .filter(kkr_theme__isnull=False)
        .values("status", m=F("strategy__municipality_id"), theme=F("kkr_theme"))
        .annotate(n=Count("id", distinct=True))
        .order_by(),
        InitiativeStatus.choices,
    )
    kpis = _theme_kpis(scope, strategy_ids, trend, programme)

    listed = [m for m in municipalities if m.pk in mapped]
    comparisons = []
    for theme in themes:
        cells = [
            ThemeCell(
                m,
                goal_counts.get((m.pk, theme.pk), []),
                initiative_counts.get((m.pk, theme.pk), []),
                kpis.get((m.pk, theme.pk), []),
            )
            for m in listed
        ]
        comparisons.append(ThemeComparison(theme, cells, _trend_chart(theme, cells, trend)))
    return ThemeOverview(
        years=trend,
        themes=comparisons,
        unmapped=[m for m in municipalities if m.pk not in mapped],
    )


def _theme_kpis(scope, strategy_ids, trend, programme) -> dict[tuple[int, int], list[ThemeKpi]]:
    """{(municipality, theme): [ThemeKpi]}: indicators linked to a goal under a focus area of
    the theme, or to such a focus area, of the strategies in force (three queries)."""
    themed = Q(focus_area__strategy_id__in=strategy_ids, focus_area__kkr_theme__isnull=False)
    goal_linked = Indicator.objects.filter(
        goals__focus_area__strategy_id__in=strategy_ids,
        goals__focus_area__kkr_theme__isnull=False,
    ).values("pk")
    indicators = (
        Indicator.objects.filter(themed | Q(pk__in=goal_linked))
        .select_related("focus_area", "programme")
        .prefetch_related(
            Prefetch("goals", queryset=Goal.objects.select_related("focus_area")),
            Prefetch("measurements", queryset=Measurement.objects.filter(period__in=trend or [0])),
        )
        .order_by("order", "name", "pk")
    )
    if programme:
        indicators = indicators.filter(Q(programme__isnull=True) | Q(programme__code=programme))
    wanted = set(strategy_ids)
    result: dict[tuple[int, int], list[ThemeKpi]] = defaultdict(list)
    for indicator in indicators:
        areas = [g.focus_area for g in indicator.goals.all()]
        if indicator.focus_area is not None:
            areas.append(indicator.focus_area)
        theme_ids = {a.kkr_theme_id for a in areas if a.kkr_theme_id and a.strategy_id in wanted}
        by_year = {m.period: m for m in indicator.measurements.all()}
        results = [
            measurement_result(indicator, by_year[y], scope) if y in by_year else None
            for y in trend
        ]
        for theme_id in sorted(theme_ids):
            result[(indicator.municipality_id, theme_id)].append(
                ThemeKpi(indicator.name, indicator.unit, results)
            )
    return result


def _trend_chart(theme: KkrTheme, cells: list[ThemeCell], trend: list[int]) -> Chart:
    lines = [(c.municipality.name, k) for c in cells for k in c.kpis]
    units = {k.unit for _n, k in lines}
    return Chart(
        id=f"chart-kkr-theme-{theme.pk}",
        title=_("Nøgletal under %(theme)s pr. år") % {"theme": theme.name},
        description="; ".join(
            f"{name}, {k.name}: "
            + ", ".join(f"{y} {t}" for y, t in zip(trend, k.texts, strict=True))
            for name, k in lines
        )
        or _("Ingen nøgletal under temaet."),
        kind="line",
        labels=trend,
        datasets=[
            series(
                f"{name}: {k.name}",
                [chart_value(r) if r is not None else None for r in k.results],
                [bool(r is not None and r.suppressed) for r in k.results],
            )
            for name, k in lines
        ],
        headers=[_("Kommune og nøgletal"), *[str(y) for y in trend]],
        rows=[[cell(f"{name}: {k.name}"), *[cell(t) for t in k.texts]] for name, k in lines],
        unit=units.pop() if len(units) == 1 else Unit.COUNT,
    )


def comparison_export_rows(rows: list[dict], year: int) -> list[list]:
    """The comparison table's figures per municipality (`kkr_overview`'s rows) as export rows,
    as the reader sees them (a hidden value is the hidden-count label)."""
    columns = [
        ("started", _("Startede elever")),
        ("intake", _("Optag i forhold til dimensionering")),
        ("dropout", _("Frafald")),
        ("hired", _("Ansat efter endt uddannelse")),
        ("sick", _("Sygefravær")),
        ("supervisors", _("Uddannede vejledere")),
    ]
    out = []
    for r in rows:
        for key, label in columns:
            result = r[key]
            value = hidden_text(result) if result.suppressed else chart_value(result)
            kind, unit = _("Nøgletal pr. kommune"), unit_label(result.unit)
            out.append(["", r["municipality"].name, kind, label, year, value, unit])
    return out


def theme_export_rows(overview: ThemeOverview) -> list[list]:
    """The comparison as rows for `apps.core.exports`: per theme and municipality the goal
    and initiative counts by status and each KPI's value per year (as the reader sees it)."""
    rows: list[list] = []
    for comparison in overview.themes:
        theme = comparison.theme.name
        for c in comparison.cells:
            name = c.municipality.name
            count = unit_label(Unit.COUNT)
            goals, initiatives = _("Målsætninger"), _("Indsatser")
            rows.append([theme, name, goals, _("I alt"), None, c.goal_count, count])
            rows += [[theme, name, goals, s, None, n, count] for s, n in c.goals]
            rows.append([theme, name, initiatives, _("I alt"), None, c.initiative_count, count])
            rows += [[theme, name, initiatives, s, None, n, count] for s, n in c.initiatives]
            for k in c.kpis:
                for y, r, text in zip(overview.years, k.results, k.texts, strict=True):
                    if r is None:
                        continue  # no measurement that year
                    value = text if r.suppressed else chart_value(r)
                    rows.append([theme, name, _("Nøgletal"), k.name, y, value, unit_label(k.unit)])
    for m in overview.unmapped:
        rows.append(["", m.name, unmapped_text(), "", None, None, ""])
    return rows


def theme_export_headers() -> list[str]:
    return [
        _("KKR-tema"),
        _("Kommune"),
        _("Art"),
        _("Status eller nøgletal"),
        _("År"),
        _("Værdi"),
        _("Enhed"),
    ]


def unit_label(unit: str | None) -> str:
    return str(Unit(unit).label) if unit in Unit.values else ""
