"""What each dashboard page shows, composed from stored KPI facts and measurements.

One function per page (`department_dashboard`, `municipality_overview`, `kkr_overview`).
Each reads `MetricFact` rows through `FactTable` plus a few small tables, so the number of
queries is constant whatever the number of trainees. Every KPI comes from its definition in
`apps.kpis.registry` and every default year from `apps.kpis.registry.default_period`; how
figures look is `apps.dashboards.presentation`, the charts `apps.dashboards.charts`. Views
only render the result.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db.models import Prefetch, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core.scoping import Scope, all_municipalities
from apps.dashboards.charts import (
    funnel_chart,
    indicator_tiles,
    intake_chart,
    sick_chart,
    supervisor_chart,
)
from apps.dashboards.kkr_themes import ThemeOverview, kkr_themes
from apps.dashboards.presentation import (
    Chart,
    Tile,
    TraineeLinks,
    attach_target,
    breakdown_chart,
    cell,
    chart_value,
    cohort_names,
    cohorts_text,
    column_help,
    hidden_text,
    match_indicator,
    metric_help,
    series,
)
from apps.kpis.choices import Metric, Unit
from apps.kpis.disclosure import rounding_note
from apps.kpis.facts import FactTable
from apps.kpis.models import Indicator, Measurement
from apps.kpis.registry import available_years, default_period, definition
from apps.organisation.models import Department, Municipality
from apps.strategy.models import Goal, Initiative
from apps.trainees.selectors import shows_dropout_reasons

DEPARTMENT_COLUMNS = [
    Metric.INTAKE_VS_QUOTA,
    Metric.DROPOUT_RATE,
    Metric.HIRED_AFTER_COMPLETION_RATE,
    Metric.SICK_ABSENCE_RATE,
]
KKR_COLUMNS = [Metric.STARTED, *DEPARTMENT_COLUMNS, Metric.TRAINED_SUPERVISOR_SHARE]


@dataclass
class Dashboard:
    """Everything the department dashboard (or, with `department` None, the municipality
    overview) shows."""

    department: Department | None
    year: int
    programme: str | None
    years: list[int]
    programmes: list[tuple[str, str]]
    default_year: int | None = None
    tiles: list[Tile] = field(default_factory=list)
    goal_tiles: list[Tile] = field(default_factory=list)
    charts: list[Chart] = field(default_factory=list)
    goals: list[Goal] = field(default_factory=list)
    initiatives: list[Initiative] = field(default_factory=list)
    follow_ups: list[dict] = field(default_factory=list)
    department_rows: list[dict] = field(default_factory=list)

    @property
    def chart_configs(self) -> list[dict]:
        return [c.config for c in self.charts]

    @property
    def table_help(self) -> list[tuple[str, str]]:
        """What the department table's columns mean."""
        return column_help(DEPARTMENT_COLUMNS)


def build_dashboard(
    *,
    scope: Scope,
    table: FactTable,
    department: Department | None,
    year: int | None,
    programme: str | None,
    indicators: list[Indicator],
    goals: list[Goal],
    initiatives: list[Initiative],
    today: datetime.date,
) -> Dashboard:
    """Compose tiles, charts, goals and follow-ups from already loaded data (no queries)."""
    dep_id = department.pk if department else None
    years = available_years([table], today)
    standard = default_period([table], today)
    if year not in years:
        year = standard
    present = table.programme_ids()
    programmes = [(code, name) for code, (pid, name) in table.programmes.items() if pid in present]
    if programme not in {c for c, _n in programmes}:
        programme = None
    prog_id = table.programmes[programme][0] if programme else None
    links = TraineeLinks(scope)
    base = {"department": dep_id, "programme": programme}
    f = {"programme": programme, "department": dep_id}
    dash = Dashboard(department, year, programme, years, programmes, standard)

    cohorts = table.finished_cohorts(year, programme=programme, department=dep_id)
    supervisor_year = definition(Metric.SUPERVISOR_COVERAGE).period_for(table, None, today)

    def tile(metric, label, result, period_label, url=None, cohorts=()):
        t = Tile(metric, label, result, period_label, None if result.suppressed else url)
        t.help = metric_help(metric)
        t.cohorts = cohort_names(cohorts, table.programmes) if len(cohorts) > 1 else []
        return attach_target(t, match_indicator(indicators, metric, dep_id, prog_id), year)

    intake = table.kpi(
        Metric.INTAKE_VS_QUOTA, scope=scope, year=year, programme=programme, department=dep_id
    )
    dash.tiles = [
        tile(
            Metric.INTAKE_VS_QUOTA,
            _("Optag i forhold til dimensionering"),
            intake,
            _intake_period(year, dep_id, intake),
            links(**base, start_year=year),
        ),
        tile(
            Metric.DROPOUT_RATE,
            _("Frafald"),
            table.kpi(
                Metric.DROPOUT_RATE, scope=scope, year=year, cohorts=cohorts, department=dep_id
            ),
            cohorts_text(cohorts, table.programmes),
            links(**base, status="dropped_out", start_year=cohorts[0].year)
            if len(cohorts) == 1
            else None,
            cohorts,
        ),
        tile(
            Metric.HIRED_AFTER_COMPLETION_RATE,
            _("Ansat efter endt uddannelse"),
            table.kpi(
                Metric.HIRED_AFTER_COMPLETION_RATE,
                scope=scope,
                year=year,
                cohorts=cohorts,
                department=dep_id,
            ),
            cohorts_text(cohorts, table.programmes),
            links(**base, status="completed", hired="yes", start_year=cohorts[0].year)
            if len(cohorts) == 1
            else None,
            cohorts,
        ),
        tile(
            Metric.SUPERVISOR_COVERAGE,
            _("Vejlederdækning"),
            table.kpi(Metric.SUPERVISOR_COVERAGE, scope=scope, year=supervisor_year, **f),
            supervisor_period(supervisor_year, year),
        ),
        tile(
            Metric.SICK_ABSENCE_RATE,
            _("Sygefravær"),
            table.kpi(Metric.SICK_ABSENCE_RATE, scope=scope, year=year, **f),
            _("Kalenderåret %(year)s") % {"year": year},
        ),
        tile(
            Metric.TRAINED_SUPERVISOR_SHARE,
            _("Uddannede vejledere"),
            table.kpi(
                Metric.TRAINED_SUPERVISOR_SHARE,
                scope=scope,
                year=supervisor_year,
                department=dep_id,
            ),
            supervisor_period(supervisor_year, year),
        ),
        tile(
            Metric.INTERNAL_RECRUITMENT_RATE,
            _("Intern rekruttering"),
            table.kpi(Metric.INTERNAL_RECRUITMENT_RATE, scope=scope, year=year, **f),
            _("Startår %(year)s") % {"year": year},
        ),
    ]
    dash.goal_tiles, trend_charts = indicator_tiles(scope, indicators, dep_id, year)
    dash.charts = [
        *trend_charts,
        funnel_chart(table, scope, cohorts, dep_id, links),
        breakdown_chart(
            "chart-dropout-reason",
            _("Frafald efter årsag, %(year)s") % {"year": year},
            table.kpi(Metric.DROPOUTS_BY_REASON, scope=scope, year=year, **f),
            "dropout_reason",
            # Dropout reasons are shown per person only to HR and coordinators; other roles
            # get counts by reason without a link to the persons behind them.
            links if shows_dropout_reasons(scope) else lambda **p: None,
            {**base, "status": "dropped_out", "end_year": year},
        ),
        breakdown_chart(
            "chart-dropout-phase",
            _("Hvornår falder eleverne fra? %(year)s") % {"year": year},
            table.kpi(Metric.DROPOUTS_BY_PHASE, scope=scope, year=year, **f),
            None,
            links,
            {},
        ),
        intake_chart(table, scope, years, programme, dep_id, links),
        supervisor_chart(table, scope, supervisor_year, f),
        sick_chart(table, scope, year, f),
    ]
    dash.goals = goals
    dash.initiatives = initiatives
    follow_ups = [
        {
            "date": g.follow_up_on,
            "kind": _("Målsætning"),
            "title": str(g),
            "status": g.get_status_display(),
        }
        for g in goals
        if g.follow_up_on and g.follow_up_on >= today
    ] + [
        {
            "date": i.follow_up_on,
            "kind": _("Indsats"),
            "title": i.title,
            "status": i.get_status_display(),
        }
        for i in initiatives
        if i.follow_up_on and i.follow_up_on >= today
    ]
    dash.follow_ups = sorted(follow_ups, key=lambda x: x["date"])[:10]
    return dash


def _intake_period(year: int, department_id, intake) -> str:
    """What the intake tile of `year` is measured against."""
    if department_id is None:
        return _("Startår %(year)s") % {"year": year}
    if intake.share_of is not None:
        return _("Startår %(year)s, fagområdets andel af kommunens optag") % {"year": year}
    return _("Startår %(year)s, målt mod fagområdets dimensionering") % {"year": year}


def supervisor_period(supervisor_year: int, year: int) -> str:
    """Supervisors are counted as they stand, not per year: say which state is shown and,
    when it is not the chosen year's, why."""
    if supervisor_year == year:
        return _("Status %(year)s") % {"year": year}
    return _("Seneste opgørelse: %(year)s (vejledere opgøres som status, ikke pr. år)") % {
        "year": supervisor_year
    }


def _load_common(scope: Scope, department: Department | None, *, strategy_items: bool = True):
    """Indicators, and (unless `strategy_items` is false: the department page reads its goals
    through `apps.dashboards.goal_overview`) up to 50 goals and initiatives."""
    indicators = list(
        Indicator.objects.visible_to(scope)
        .filter(municipality_id=department.municipality_id if department else scope.municipality_id)
        .filter(Q(department__isnull=True) | Q(department=department) if department else Q())
        .select_related("programme")
        .prefetch_related(Prefetch("measurements", queryset=Measurement.objects.order_by("period")))
        .order_by("order", "name")
    )
    if not strategy_items:
        return indicators, [], []
    goals = Goal.objects.in_scope(scope).select_related("focus_area")
    initiatives = Initiative.objects.in_scope(scope)
    if department is not None:
        goals = goals.filter(Q(department=department) | Q(department__isnull=True))
        initiatives = initiatives.filter(department=department)
    return indicators, list(goals[:50]), list(initiatives.order_by("follow_up_on", "title")[:50])


def department_dashboard(
    *, scope: Scope, department: Department, year: int | None = None, programme: str | None = None
) -> Dashboard:
    """The leader's page: the department's KPIs against its goals and charts (its goals and
    initiatives: `apps.dashboards.goal_overview`). A constant number of queries."""
    table = FactTable.load(
        municipality_ids=[department.municipality_id], department_id=department.pk
    )
    indicators, goals, initiatives = _load_common(scope, department, strategy_items=False)
    return build_dashboard(
        scope=scope,
        table=table,
        department=department,
        year=year,
        programme=programme,
        indicators=indicators,
        goals=goals,
        initiatives=initiatives,
        today=timezone.localdate(),
    )


def municipality_overview(
    *, scope: Scope, year: int | None = None, programme: str | None = None
) -> Dashboard:
    """The coordinator's page: the municipality's KPIs and charts, and one row per department
    (same definitions), each linking to that department's dashboard."""
    table = FactTable.load(municipality_ids=[scope.municipality_id])
    indicators, goals, initiatives = _load_common(scope, None)
    dash = build_dashboard(
        scope=scope,
        table=table,
        department=None,
        year=year,
        programme=programme,
        indicators=indicators,
        goals=[g for g in goals if g.department_id is None],
        initiatives=[],
        today=timezone.localdate(),
    )
    departments = list(Department.objects.visible_to(scope).order_by("order", "name"))
    y, p = dash.year, dash.programme
    for d in departments:
        cohorts = table.finished_cohorts(y, programme=p, department=d.pk)
        dash.department_rows.append(
            {
                "department": d,
                "intake": table.kpi(
                    Metric.INTAKE_VS_QUOTA, scope=scope, year=y, programme=p, department=d.pk
                ),
                "dropout": table.kpi(
                    Metric.DROPOUT_RATE, scope=scope, year=y, cohorts=cohorts, department=d.pk
                ),
                "hired": table.kpi(
                    Metric.HIRED_AFTER_COMPLETION_RATE,
                    scope=scope,
                    year=y,
                    cohorts=cohorts,
                    department=d.pk,
                ),
                "sick": table.kpi(
                    Metric.SICK_ABSENCE_RATE, scope=scope, year=y, programme=p, department=d.pk
                ),
            }
        )
    return dash


@dataclass
class KkrOverview:
    year: int
    programme: str | None
    years: list[int]
    programmes: list[tuple[str, str]]
    rows: list[dict]
    chart: Chart
    default_year: int | None = None
    themes: ThemeOverview | None = None

    @property
    def chart_configs(self) -> list[dict]:
        return [self.chart.config, *(self.themes.chart_configs if self.themes else [])]

    @property
    def table_help(self) -> list[tuple[str, str]]:
        """What the comparison's columns mean."""
        return column_help(KKR_COLUMNS)

    @property
    def note(self) -> str:
        """How the figures are protected, for the page's introduction."""
        return rounding_note()


def kkr_overview(
    *, scope: Scope, year: int | None = None, programme: str | None = None
) -> KkrOverview:
    """All municipalities side by side (aggregates only, small numbers suppressed for KKR).
    Lifts the tenancy guard for these aggregate reads only."""
    today = timezone.localdate()
    with all_municipalities():
        municipalities = list(Municipality.objects.order_by("name"))
        tables = FactTable.load_many(municipality_ids=[m.pk for m in municipalities])
    years = available_years(tables.values(), today)
    standard = default_period(tables.values(), today)
    year = year if year in years else standard
    programmes = []
    if tables:
        any_table = next(iter(tables.values()))
        programmes = [(c, n) for c, (_i, n) in any_table.programmes.items()]
    if programme not in {c for c, _n in programmes}:
        programme = None
    with all_municipalities():
        themes = kkr_themes(
            scope=scope, municipalities=municipalities, years=years, year=year, programme=programme
        )
    rows = []
    for m in municipalities:
        t = tables[m.pk]
        cohorts = t.finished_cohorts(year, programme=programme)
        rows.append(
            {
                "municipality": m,
                "started": t.kpi(Metric.STARTED, scope=scope, year=year, programme=programme),
                "intake": t.kpi(
                    Metric.INTAKE_VS_QUOTA,
                    scope=scope,
                    year=year,
                    programme=programme,
                    department=None,
                ),
                "dropout": t.kpi(Metric.DROPOUT_RATE, scope=scope, year=year, cohorts=cohorts),
                "hired": t.kpi(
                    Metric.HIRED_AFTER_COMPLETION_RATE, scope=scope, year=year, cohorts=cohorts
                ),
                "sick": t.kpi(
                    Metric.SICK_ABSENCE_RATE, scope=scope, year=year, programme=programme
                ),
                "supervisors": t.kpi(
                    Metric.TRAINED_SUPERVISOR_SHARE,
                    scope=scope,
                    programme=programme,
                    year=definition(Metric.TRAINED_SUPERVISOR_SHARE).period_for(t, None, today),
                ),
            }
        )
    chart = Chart(
        id="chart-kkr-dropout",
        title=_("Frafald og ansættelse pr. kommune (senest afsluttede årgange)"),
        description=_("Frafald og ansat efter endt uddannelse i procent: %(rows)s")
        % {
            "rows": "; ".join(
                f"{r['municipality'].name}: {hidden_text(r['dropout'])}, {hidden_text(r['hired'])}"
                for r in rows
            )
        },
        kind="bar",
        labels=[r["municipality"].name for r in rows],
        datasets=[
            series(
                _("Frafald"),
                [chart_value(r["dropout"]) for r in rows],
                [r["dropout"].suppressed for r in rows],
            ),
            series(
                _("Ansat efter endt uddannelse"),
                [chart_value(r["hired"]) for r in rows],
                [r["hired"].suppressed for r in rows],
            ),
        ],
        headers=[_("Kommune"), _("Frafald"), _("Ansat efter endt uddannelse")],
        rows=[
            [
                cell(r["municipality"].name),
                cell(hidden_text(r["dropout"])),
                cell(hidden_text(r["hired"])),
            ]
            for r in rows
        ],
        unit=Unit.PERCENT,
    )
    return KkrOverview(year, programme, years, programmes, rows, chart, standard, themes)
