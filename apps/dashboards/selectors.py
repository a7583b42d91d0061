"""What each dashboard page shows, composed from stored KPI facts and measurements.

One function per page (`department_dashboard`, `municipality_overview`, `kkr_overview`).
Each reads `MetricFact` rows through `FactTable` plus a few small tables, so the number of
queries is constant whatever the number of trainees. Views only render the result.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.db.models import Prefetch, Q
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core.formatting import format_number, format_percent
from apps.core.scoping import Scope, all_municipalities
from apps.kpis.choices import Metric, Unit
from apps.kpis.disclosure import (
    SUPPRESSED_LABEL,
    WITHHELD_LABEL,
    disclose,
    few_persons_text,
    hidden_note,
    rounding_note,
)
from apps.kpis.facts import ABSENCE, COHORT, Cohort, FactTable
from apps.kpis.models import Indicator, Measurement
from apps.kpis.results import Breakdown, BreakdownRow, KpiResult
from apps.kpis.services import system_scope
from apps.kpis.targets import (
    TargetJudgement,
    expected_on_path,
    judge,
    target_level,
    target_text,
)
from apps.organisation.models import Department, Municipality
from apps.strategy.models import Goal, Initiative
from apps.trainees.selectors import shows_dropout_reasons

SUPPRESSED_RATE = "–"


# --- small presentation helpers -------------------------------------------------------------


def display(result: KpiResult) -> str:
    """The value as Danish text, or the hidden-count label / "–" when the small-number rule
    hides it."""
    if result.suppressed:
        return SUPPRESSED_LABEL if result.unit == Unit.COUNT else SUPPRESSED_RATE
    if result.value is None:
        return "–"
    if result.unit == Unit.PERCENT:
        return format_percent(result.value, 1)
    if result.unit == Unit.RATIO:
        return format_number(result.value, 1)
    return format_number(result.value, 0)


def hidden_text(result: KpiResult) -> str:
    """A chart table cell: the hidden-count label when the small-number rule hides the value
    (for rates too, so a hidden value never reads as "no data"), else the value as text."""
    return SUPPRESSED_LABEL if result.suppressed else display(result)


def count_text(n: int | None, suppressed: bool = False) -> str:
    if suppressed:
        return SUPPRESSED_LABEL
    if n is None:
        return WITHHELD_LABEL
    return format_number(n, 0)


def chart_value(result: KpiResult):
    return None if result.value is None else round(result.value, 2)


class TraineeLinks:
    """Links to the trainees behind a number, for the roles that may see persons."""

    def __init__(self, scope: Scope):
        self.base = None
        if scope.can_see_persons:
            try:
                self.base = reverse("trainees:trainee_list")
            except NoReverseMatch:
                self.base = None

    def __call__(self, **params) -> str | None:
        if self.base is None:
            return None
        clean = {k: v for k, v in params.items() if v not in (None, "")}
        return f"{self.base}?{urlencode(clean)}"


@dataclass
class Tile:
    """One KPI tile: the value, what it is built from, and where it stands against a target."""

    metric: str
    label: str
    result: KpiResult
    period_label: str
    url: str | None = None
    indicator: Indicator | None = None
    judgement: TargetJudgement | None = None
    baseline: str = ""
    target: str = ""
    cohorts: list[str] = field(default_factory=list)  # the cohorts behind a cohort KPI

    @property
    def value_text(self) -> str:
        return display(self.result)

    @property
    def detail(self) -> str:
        r = self.result
        if r.suppressed:
            return few_persons_text()
        if r.unit != Unit.COUNT and r.value is None:
            return _("Ingen data")
        if r.unit == Unit.COUNT or r.denominator in (None, 0) or r.numerator is None:
            return ""
        if r.metric == Metric.SICK_ABSENCE_RATE:
            return _("%(num)s sygedage af %(den)s planlagte") % {
                "num": format_number(r.numerator, 1),
                "den": format_number(r.denominator, 1),
            }
        text = _("%(num)s af %(den)s") % {
            "num": format_number(r.numerator, 0),
            "den": format_number(r.denominator, 0),
        }
        return _("%(text)s (afrundet)") % {"text": text} if r.rounded else text

    @property
    def distance_text(self) -> str:
        j = self.judgement
        if j is None or j.distance_points is None:
            return ""
        unit = self.indicator.unit if self.indicator else Unit.PERCENT
        points = format_number(abs(j.distance_points), 1)
        text = _("%(points)s procentpoint") % {"points": points} if unit == Unit.PERCENT else points
        if j.distance_relative is not None:
            text += f" ({format_percent(abs(j.distance_relative), 1)})"
        return text


def _unit_text(value, unit: str) -> str:
    if value is None:
        return "–"
    if unit == Unit.PERCENT:
        return format_percent(value, 1)
    return format_number(value, 1 if unit == Unit.RATIO else 0)


def _attach_target(tile: Tile, indicator: Indicator | None, period: int) -> Tile:
    if indicator is None:
        return tile
    tile.indicator = indicator
    tile.baseline = (
        f"{_unit_text(indicator.baseline_value, indicator.unit)} ({indicator.baseline_period})"
        if indicator.baseline_value is not None
        else ""
    )
    tile.target = target_text(indicator)
    if not tile.result.suppressed:
        tile.judgement = judge(indicator, tile.result.value, period)
    return tile


def _match_indicator(indicators, metric, department_id, programme_id) -> Indicator | None:
    candidates = [
        i
        for i in indicators
        if i.metric == metric
        and i.cohort_year is None  # a one-cohort indicator has its own tile, not the latest
        and i.programme_id == programme_id
        and i.department_id in (department_id, None)
    ]
    candidates.sort(key=lambda i: i.department_id is None)
    return candidates[0] if candidates else None


def cohort_names(cohorts: list[Cohort]) -> list[str]:
    return [f"{c.programme} {c.year}" for c in cohorts]


def cohorts_text(cohorts: list[Cohort]) -> str:
    """Short enough to read at a glance; the full list goes in the tile's <details>."""
    if not cohorts:
        return _("Ingen afsluttede årgange")
    if len(cohorts) == 1:
        return _("Årgang %(cohort)s") % {"cohort": cohort_names(cohorts)[0]}
    return _("Seneste afsluttede årgange (%(n)s uddannelser)") % {"n": len(cohorts)}


def default_year(years: list[int], today: datetime.date) -> int:
    """The one default year of every dashboard: the latest finished year with data (the
    current year is still running), or the latest year when there is no finished one."""
    finished = [y for y in years if y < today.year]
    return finished[-1] if finished else years[-1]


def available_years(tables, today: datetime.date) -> list[int]:
    """The years with cohort or absence facts, up to this year (this year when none)."""
    years = {y for t in tables for y in (*t.years(COHORT), *t.years(ABSENCE)) if y is not None}
    return sorted(y for y in years if y <= today.year) or [today.year]


# --- charts -----------------------------------------------------------------------------------


@dataclass
class Chart:
    """A chart for Chart.js plus its text alternative and data table (for the "Vis tabel"
    toggle): `config` goes to the page with json_script."""

    id: str
    title: str
    description: str
    kind: str
    labels: list
    datasets: list[dict]
    headers: list[str]
    rows: list[list[dict]]
    unit: str = Unit.COUNT
    horizontal: bool = False
    stacked: bool = False

    @property
    def has_hidden(self) -> bool:
        """Some value is hidden by the small-number rule (left out of the chart)."""
        return any(d.get("suppressed") for d in self.datasets)

    @property
    def note(self) -> str:
        return hidden_note() if self.has_hidden else ""

    @property
    def config(self) -> dict:
        return {
            "id": self.id,
            "hiddenMark": SUPPRESSED_LABEL,
            "type": self.kind,
            "labels": self.labels,
            "datasets": self.datasets,
            "unit": self.unit,
            "horizontal": self.horizontal,
            "stacked": self.stacked,
        }


def _cell(text, url=None) -> dict:
    return {"text": text, "url": url}


def series(label, data: list, hidden: list[bool] | None = None, **extra) -> dict:
    """A dataset: values hidden by the small-number rule are null (left out, never drawn as
    zero) and their positions are listed in `suppressed` so the chart can mark them with the
    hidden-count label."""
    dataset = {"label": label, "data": data, **extra}
    positions = [i for i, h in enumerate(hidden or []) if h]
    if positions:
        dataset["data"] = [None if i in positions else v for i, v in enumerate(data)]
        dataset["suppressed"] = positions
    return dataset


def breakdown_chart(chart_id, title, breakdown: Breakdown, link_param, links, base) -> Chart:
    rows = [
        [
            _cell(r.label),
            _cell(
                count_text(r.count, r.suppressed),
                None
                if r.suppressed
                else links(**base, **{link_param: r.key})
                if link_param
                else None,
            ),
        ]
        for r in breakdown.rows
    ]
    rows.append(
        [
            _cell(_("I alt")),
            _cell(count_text(breakdown.total, breakdown.total_suppressed)),
        ]
    )
    shown = ", ".join(f"{r.label}: {count_text(r.count, r.suppressed)}" for r in breakdown.rows)
    return Chart(
        id=chart_id,
        title=title,
        description=shown or _("Ingen data i perioden."),
        kind="bar",
        labels=[r.label for r in breakdown.rows],
        datasets=[
            series(
                _("Antal"),
                [r.count for r in breakdown.rows],
                [r.suppressed for r in breakdown.rows],
            )
        ],
        headers=[_("Kategori"), _("Antal")],
        rows=rows,
        horizontal=True,
    )


# --- the department dashboard and the municipality overview ------------------------------------


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


def intake_result(table: FactTable, scope, year, programme, department) -> KpiResult:
    """Started against quota; without a programme filter, over the programmes with a quota."""
    codes = (
        [programme]
        if programme
        else [code for code, (pid, _n) in table.programmes.items() if table.quotas.get((pid, year))]
    )
    raw = system_scope(table.municipality_id)
    results = [
        table.kpi(Metric.INTAKE_VS_QUOTA, scope=raw, year=year, programme=c, department=department)
        for c in codes
    ]
    num = sum((r.numerator or 0) for r in results)
    den = sum((r.denominator or 0) for r in results)
    persons = sum((r.persons or 0) for r in results)
    total = KpiResult(Metric.INTAKE_VS_QUOTA, num, den or None, persons=persons or None)
    return table.disclose(total, scope, department=department)


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
    standard = default_year(years, today)
    if year not in years:
        year = standard
    present = {
        int(p) for (_k, _key, _y), rows in table.index.items() for (_d, p, _n, _dn) in rows if p
    }
    programmes = [(code, name) for code, (pid, name) in table.programmes.items() if pid in present]
    if programme not in {c for c, _n in programmes}:
        programme = None
    prog_id = table.programmes[programme][0] if programme else None
    links = TraineeLinks(scope)
    base = {"department": dep_id, "programme": programme}
    f = {"programme": programme, "department": dep_id}
    dash = Dashboard(department, year, programme, years, programmes, standard)

    cohorts = table.finished_cohorts(year, programme=programme, department=dep_id)
    supervisor_year = table.supervisor_year(today.year)

    def tile(metric, label, result, period_label, url=None, cohorts=()):
        t = Tile(metric, label, result, period_label, None if result.suppressed else url)
        t.cohorts = cohort_names(cohorts) if len(cohorts) > 1 else []
        return _attach_target(t, _match_indicator(indicators, metric, dep_id, prog_id), year)

    dash.tiles = [
        tile(
            Metric.INTAKE_VS_QUOTA,
            _("Optag i forhold til dimensionering"),
            intake_result(table, scope, year, programme, dep_id),
            _("%(year)s, kommunens dimensionering") % {"year": year} if dep_id else str(year),
            links(**base, start_year=year),
        ),
        tile(
            Metric.DROPOUT_RATE,
            _("Frafald"),
            table.kpi(
                Metric.DROPOUT_RATE, scope=scope, year=year, cohorts=cohorts, department=dep_id
            ),
            cohorts_text(cohorts),
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
            cohorts_text(cohorts),
            links(**base, status="completed", hired="yes", start_year=cohorts[0].year)
            if len(cohorts) == 1
            else None,
            cohorts,
        ),
        tile(
            Metric.SUPERVISOR_COVERAGE,
            _("Vejlederdækning"),
            table.kpi(Metric.SUPERVISOR_COVERAGE, scope=scope, year=supervisor_year, **f),
            _("Arbejdspladser med elever og mindst én uddannet vejleder, %(year)s")
            % {"year": supervisor_year},
        ),
        tile(
            Metric.SICK_ABSENCE_RATE,
            _("Sygefravær"),
            table.kpi(Metric.SICK_ABSENCE_RATE, scope=scope, year=year, **f),
            str(year),
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
            str(supervisor_year),
        ),
        tile(
            Metric.INTERNAL_RECRUITMENT_RATE,
            _("Intern rekruttering"),
            table.kpi(Metric.INTERNAL_RECRUITMENT_RATE, scope=scope, year=year, **f),
            str(year),
        ),
    ]
    dash.goal_tiles, trend_charts = _indicator_tiles(scope, indicators, dep_id)
    dash.charts = [
        *trend_charts,
        _funnel_chart(table, scope, cohorts, dep_id, links),
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
        _intake_chart(table, scope, years, programme, dep_id, links),
        _supervisor_chart(table, scope, supervisor_year, f),
        _sick_chart(table, scope, year, f),
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


def measurement_result(indicator: Indicator, m: Measurement, scope: Scope) -> KpiResult:
    """A stored measurement as a `KpiResult`, with the small-number rule for this viewer: a
    municipality-wide indicator is not a leader's own department's figure."""
    return disclose(
        KpiResult(
            indicator.metric or "manual",
            m.numerator,
            m.denominator,
            indicator.unit,
            fixed_value=None if m.value is None else float(m.value),
        ),
        scope,
        municipality_id=indicator.municipality_id,
        department=indicator.department_id,
    )


def _indicator_tiles(scope, indicators, dep_id) -> tuple[list[Tile], list[Chart]]:
    """The goals' indicators: latest measurement against baseline and target, and a trend
    chart with the baseline and the straight path to the target."""
    tiles, charts = [], []
    for ind in indicators:
        if ind.department_id not in (None, dep_id):
            continue
        measurements = sorted(ind.measurements.all(), key=lambda m: m.period)
        if not measurements:
            continue
        latest = measurements[-1]
        tile = Tile(
            ind.metric, ind.name, measurement_result(ind, latest, scope), str(latest.period)
        )
        tiles.append(_attach_target(tile, ind, latest.period))
        values = {m.period: measurement_result(ind, m, scope) for m in measurements}
        periods = sorted(set(values) | {p for p in (ind.baseline_period, ind.target_period) if p})
        level = target_level(ind)
        path = [expected_on_path(ind, p) for p in periods] if level is not None else []
        datasets = [
            series(
                _("Målt"),
                [chart_value(values[p]) if p in values else None for p in periods],
                [p in values and values[p].suppressed for p in periods],
            )
        ]
        if ind.baseline_value is not None:
            datasets.append(
                {
                    "label": _("Baseline"),
                    "data": [float(ind.baseline_value)] * len(periods),
                    "role": "baseline",
                }
            )
        if path:
            datasets.append(
                {
                    "label": _("Vej til mål"),
                    "data": [None if v is None else round(float(v), 2) for v in path],
                    "role": "target",
                }
            )
        rows = []
        for i, p in enumerate(periods):
            row = [_cell(str(p)), _cell(hidden_text(values[p]) if p in values else "–")]
            if path:
                row.append(_cell(_unit_text(path[i], ind.unit)))
            rows.append(row)
        charts.append(
            Chart(
                id=f"chart-indicator-{ind.pk}",
                title=_("Udvikling: %(name)s") % {"name": ind.name},
                description=_("%(name)s pr. år med baseline og den lige vej til målet: %(rows)s")
                % {
                    "name": ind.name,
                    "rows": "; ".join(f"{r[0]['text']}: {r[1]['text']}" for r in rows),
                },
                kind="line",
                labels=[str(p) for p in periods],
                datasets=datasets,
                headers=[_("År"), _("Målt")] + ([_("Vej til mål")] if path else []),
                rows=rows,
                unit=ind.unit,
            )
        )
    return tiles, charts


def _funnel_chart(table, scope, cohorts, dep_id, links) -> Chart:
    labels, started, completed, hired, rows = [], [], [], [], []
    hidden = {"started": [], "completed": [], "hired": []}
    for c in cohorts:
        counts = table.cohort(c.year, programme=c.programme, department=dep_id)
        running = counts["started"] - counts["completed"] - counts["dropped_out"]
        outcome = table.disclose(
            Breakdown(
                "funnel",
                [
                    BreakdownRow("completed", "", counts["completed"]),
                    BreakdownRow("dropped_out", "", counts["dropped_out"]),
                    BreakdownRow("running", "", running),
                ],
            ),
            scope,
            department=dep_id,
        )
        hiring = table.disclose(
            Breakdown(
                "funnel",
                [
                    BreakdownRow("hired", "", counts["hired"]),
                    BreakdownRow("not_hired", "", counts["completed"] - counts["hired"]),
                ],
            ),
            scope,
            department=dep_id,
        )
        s = table.disclose(
            KpiResult(Metric.STARTED, counts["started"], None, Unit.COUNT),
            scope,
            department=dep_id,
        )
        # A rounded breakdown leaves out what rounds to 0: find the cells by key.
        comp = next((r for r in outcome.rows if r.key == "completed"), BreakdownRow("", "", 0))
        hire = next((r for r in hiring.rows if r.key == "hired"), BreakdownRow("", "", 0))
        hire_hidden = hire.suppressed or comp.suppressed
        labels.append(f"{c.programme} {c.year}")
        started.append(None if s.suppressed else int(s.numerator))
        completed.append(comp.count)
        hired.append(None if hire_hidden else hire.count)
        hidden["started"].append(s.suppressed)
        hidden["completed"].append(comp.suppressed)
        hidden["hired"].append(hire_hidden)
        base = {"programme": c.programme, "department": dep_id, "start_year": c.year}
        rows.append(
            [
                _cell(f"{c.programme} {c.year}"),
                _cell(display(s), None if s.suppressed else links(**base)),
                _cell(
                    count_text(comp.count, comp.suppressed),
                    None if comp.suppressed else links(**base, status="completed"),
                ),
                _cell(
                    count_text(hire.count, hire_hidden),
                    None if hire_hidden else links(**base, status="completed", hired="yes"),
                ),
            ]
        )
    return Chart(
        id="chart-funnel",
        title=_("Fra start til ansættelse (senest afsluttede årgange)"),
        description=_("Startet, gennemført og ansat pr. uddannelse: %(rows)s")
        % {
            "rows": "; ".join(
                f"{r[0]['text']}: {r[1]['text']}, {r[2]['text']}, {r[3]['text']}" for r in rows
            )
        },
        kind="bar",
        labels=labels,
        datasets=[
            series(_("Startet"), started, hidden["started"]),
            series(_("Gennemført"), completed, hidden["completed"]),
            series(_("Ansat"), hired, hidden["hired"]),
        ],
        headers=[_("Årgang"), _("Startet"), _("Gennemført"), _("Ansat")],
        rows=rows,
    )


def _intake_chart(table, scope, years, programme, dep_id, links) -> Chart:
    quota_years = [y for y in years if table.quota(y, programme)] or years
    started, quota, rows, hidden = [], [], [], []
    raw = system_scope(table.municipality_id)
    for y in quota_years:
        r = intake_result(table, scope, y, programme, dep_id)
        hidden.append(r.suppressed)
        started.append(None if r.suppressed else int(r.numerator or 0))
        q = intake_result(table, raw, y, programme, dep_id).denominator
        quota.append(int(q) if q else None)
        rows.append(
            [
                _cell(str(y)),
                _cell(
                    count_text(None if r.suppressed else int(r.numerator or 0), r.suppressed),
                    None
                    if r.suppressed
                    else links(programme=programme, department=dep_id, start_year=y),
                ),
                _cell(format_number(q, 0) if q else "–"),
                _cell(hidden_text(r)),
            ]
        )
    title = _("Optag og dimensionering")
    if programme:
        title = f"{title} – {programme}"
    return Chart(
        id="chart-intake",
        title=title,
        description=_("Startede elever og dimensionering pr. år: %(rows)s")
        % {"rows": "; ".join(f"{r[0]['text']}: {r[1]['text']} / {r[2]['text']}" for r in rows)},
        kind="bar",
        labels=[str(y) for y in quota_years],
        datasets=[
            series(_("Startet"), started, hidden),
            series(_("Dimensionering"), quota, role="target"),
        ],
        headers=[_("År"), _("Startet"), _("Dimensionering"), _("Opfyldelse")],
        rows=rows,
    )


def _supervisor_chart(table, scope, year, f) -> Chart:
    rows, labels, qualified, other = [], [], [], []

    def shown(n):
        result = table.disclose(
            KpiResult("supervisors", n, None, Unit.COUNT), scope, department=f["department"]
        )
        return None if result.suppressed else int(result.numerator)

    for r in table.coverage_rows(year, **f):
        q = shown(r["qualified"])
        # With the qualified count hidden, the others would show it beside "Dækket".
        o = None if q is None else shown(r["active"] - r["qualified"])
        labels.append(r["name"])
        qualified.append(q)
        other.append(o)
        rows.append(
            [
                _cell(r["name"]),
                _cell(count_text(q, q is None)),
                _cell(count_text(o, o is None)),
                _cell(_("Ja") if r["qualified"] >= 1 else _("Nej")),
            ]
        )
    return Chart(
        id="chart-supervisors",
        title=_("Vejledere pr. arbejdsplads med elever, %(year)s") % {"year": year},
        description=_("Uddannede og øvrige aktive vejledere pr. arbejdsplads: %(rows)s")
        % {"rows": "; ".join(f"{r[0]['text']}: {r[1]['text']} / {r[2]['text']}" for r in rows)}
        if rows
        else _("Ingen arbejdspladser med elever i perioden."),
        kind="bar",
        labels=labels,
        datasets=[
            series(_("Uddannede vejledere"), qualified, [v is None for v in qualified]),
            series(_("Øvrige vejledere"), other, [v is None for v in other]),
        ],
        headers=[_("Arbejdsplads"), _("Uddannede"), _("Øvrige"), _("Dækket")],
        rows=rows,
        horizontal=True,
        stacked=True,
    )


MONTHS = ["jan", "feb", "mar", "apr", "maj", "jun", "jul", "aug", "sep", "okt", "nov", "dec"]


def _sick_chart(table, scope, year, f) -> Chart:
    by_month = table.sick_by_month(year, scope=scope, **f)
    rows = [[_cell(f"{MONTHS[m - 1]} {year}"), _cell(hidden_text(r))] for m, r in by_month]
    return Chart(
        id="chart-sick",
        title=_("Sygefravær pr. måned, %(year)s") % {"year": year},
        description=_("Sygedage i procent af planlagte dage: %(rows)s")
        % {"rows": "; ".join(f"{r[0]['text']}: {r[1]['text']}" for r in rows)},
        kind="line",
        labels=[MONTHS[m - 1] for m, _r in by_month],
        datasets=[
            series(
                _("Sygefravær"),
                [chart_value(r) for _m, r in by_month],
                [r.suppressed for _m, r in by_month],
            )
        ],
        headers=[_("Måned"), _("Sygefravær")],
        rows=rows,
        unit=Unit.PERCENT,
    )


def _load_common(scope: Scope, department: Department | None):
    indicators = list(
        Indicator.objects.visible_to(scope)
        .filter(municipality_id=department.municipality_id if department else scope.municipality_id)
        .filter(Q(department__isnull=True) | Q(department=department) if department else Q())
        .select_related("programme")
        .prefetch_related(Prefetch("measurements", queryset=Measurement.objects.order_by("period")))
        .order_by("order", "name")
    )
    goals = Goal.objects.in_scope(scope).select_related("focus_area")
    initiatives = Initiative.objects.in_scope(scope)
    if department is not None:
        goals = goals.filter(Q(department=department) | Q(department__isnull=True))
        initiatives = initiatives.filter(department=department)
    return indicators, list(goals[:50]), list(initiatives.order_by("follow_up_on", "title")[:50])


def department_dashboard(
    *, scope: Scope, department: Department, year: int | None = None, programme: str | None = None
) -> Dashboard:
    """The leader's page: the department's KPIs against its goals, charts, goals,
    initiatives and upcoming follow-ups. A constant number of queries."""
    table = FactTable.load(
        municipality_ids=[department.municipality_id], department_id=department.pk
    )
    indicators, goals, initiatives = _load_common(scope, department)
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
                "intake": intake_result(table, scope, y, p, d.pk),
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

    @property
    def chart_configs(self) -> list[dict]:
        return [self.chart.config]

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
    standard = default_year(years, today)
    year = year if year in years else standard
    programmes = []
    if tables:
        any_table = next(iter(tables.values()))
        programmes = [(c, n) for c, (_i, n) in any_table.programmes.items()]
    if programme not in {c for c, _n in programmes}:
        programme = None
    rows = []
    for m in municipalities:
        t = tables[m.pk]
        cohorts = t.finished_cohorts(year, programme=programme)
        rows.append(
            {
                "municipality": m,
                "started": t.kpi(Metric.STARTED, scope=scope, year=year, programme=programme),
                "intake": intake_result(t, scope, year, programme, None),
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
                    year=t.supervisor_year(today.year),
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
                _cell(r["municipality"].name),
                _cell(hidden_text(r["dropout"])),
                _cell(hidden_text(r["hired"])),
            ]
            for r in rows
        ],
        unit=Unit.PERCENT,
    )
    return KkrOverview(year, programme, years, programmes, rows, chart, standard)
