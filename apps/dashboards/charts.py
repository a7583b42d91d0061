"""The dashboards' charts built from a `FactTable`: the indicators' trends, the funnel from
start to hire, intake against quota, supervisors per workplace and sick absence by month."""

from __future__ import annotations

from django.utils.translation import gettext as _

from apps.core.formatting import format_number
from apps.dashboards.presentation import (
    Chart,
    Tile,
    attach_target,
    cell,
    chart_value,
    count_text,
    display,
    hidden_text,
    manual_help,
    metric_help,
    programme_name,
    series,
    short_label,
    unit_text,
)
from apps.kpis.choices import Metric, Unit
from apps.kpis.results import Breakdown, BreakdownRow, KpiResult
from apps.kpis.selectors import measurement_result
from apps.kpis.services import system_scope
from apps.kpis.targets import expected_on_path, target_level


def indicator_tiles(scope, indicators, dep_id, year) -> tuple[list[Tile], list[Chart]]:
    """The goals' indicators: the chosen year's measurement (or, without one, the latest
    before it, saying so) against baseline and target, and a trend chart with the baseline
    and the straight path to the target."""
    tiles, charts = [], []
    for ind in indicators:
        if ind.department_id not in (None, dep_id):
            continue
        measurements = sorted(ind.measurements.all(), key=lambda m: m.period)
        if not measurements:
            continue
        shown = next((m for m in measurements if m.period == year), None)
        if shown is not None:
            period_label = _("Måling for %(year)s") % {"year": year}
        else:
            earlier = [m for m in measurements if m.period < year]
            shown = (earlier or measurements)[-1]
            text = (
                _("Seneste måling: %(period)s (ingen måling for %(year)s)")
                if earlier
                else _("Måling for %(period)s (ingen måling for %(year)s)")
            )
            period_label = text % {"period": shown.period, "year": year}
        tile = Tile(ind.metric, ind.name, measurement_result(ind, shown, scope), period_label)
        tile.help = metric_help(ind.metric) if ind.metric else manual_help()
        tiles.append(attach_target(tile, ind, shown.period))
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
            row = [cell(str(p)), cell(hidden_text(values[p]) if p in values else "–")]
            if path:
                row.append(cell(unit_text(path[i], ind.unit)))
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


def funnel_chart(table, scope, cohorts, dep_id, links) -> Chart:
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
        s = table.kpi(
            Metric.STARTED, scope=scope, year=c.year, programme=c.programme, department=dep_id
        )
        # A rounded breakdown leaves out what rounds to 0: find the cells by key.
        comp = next((r for r in outcome.rows if r.key == "completed"), BreakdownRow("", "", 0))
        hire = next((r for r in hiring.rows if r.key == "hired"), BreakdownRow("", "", 0))
        hire_hidden = hire.suppressed or comp.suppressed
        name = f"{programme_name(table.programmes, c.programme)} {c.year}"
        labels.append(short_label(programme_name(table.programmes, c.programme), f" {c.year}"))
        started.append(None if s.suppressed else int(s.numerator))
        completed.append(comp.count)
        hired.append(None if hire_hidden else hire.count)
        hidden["started"].append(s.suppressed)
        hidden["completed"].append(comp.suppressed)
        hidden["hired"].append(hire_hidden)
        base = {"programme": c.programme, "department": dep_id, "start_year": c.year}
        rows.append(
            [
                cell(name),
                cell(display(s), None if s.suppressed else links(**base)),
                cell(
                    count_text(comp.count, comp.suppressed),
                    None if comp.suppressed else links(**base, status="completed"),
                ),
                cell(
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


def intake_chart(table, scope, years, programme, dep_id, links) -> Chart:
    quota_years = [y for y in years if table.quota(y, programme)] or years
    started, quota, rows, hidden = [], [], [], []
    raw = system_scope(table.municipality_id)
    for y in quota_years:
        r = table.kpi(
            Metric.INTAKE_VS_QUOTA, scope=scope, year=y, programme=programme, department=dep_id
        )
        hidden.append(r.suppressed)
        started.append(None if r.suppressed else int(r.numerator or 0))
        full = table.kpi(
            Metric.INTAKE_VS_QUOTA, scope=raw, year=y, programme=programme, department=dep_id
        )
        q = full.denominator
        quota.append(int(q) if q else None)
        quota_text = format_number(q, 0) if q else "–"
        if q and full.maximum is not None and full.maximum != q:
            quota_text = f"{quota_text}–{format_number(full.maximum, 0)}"
        rows.append(
            [
                cell(str(y)),
                cell(
                    count_text(None if r.suppressed else int(r.numerator or 0), r.suppressed),
                    None
                    if r.suppressed
                    else links(programme=programme, department=dep_id, start_year=y),
                ),
                cell(quota_text),
                cell(hidden_text(r)),
            ]
        )
    title = _("Optag og dimensionering")
    if programme:
        title = f"{title} – {programme_name(table.programmes, programme)}"
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


def supervisor_chart(table, scope, year, f) -> Chart:
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
        labels.append(short_label(r["name"]))
        qualified.append(q)
        other.append(o)
        rows.append(
            [
                cell(r["name"]),
                cell(count_text(q, q is None)),
                cell(count_text(o, o is None)),
                cell(_("Ja") if r["qualified"] >= 1 else _("Nej")),
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
        all_labels=True,  # every workplace named, never every other one
    )


MONTHS = ["jan", "feb", "mar", "apr", "maj", "jun", "jul", "aug", "sep", "okt", "nov", "dec"]


def sick_chart(table, scope, year, f) -> Chart:
    by_month = table.sick_by_month(year, scope=scope, **f)
    rows = [[cell(f"{MONTHS[m - 1]} {year}"), cell(hidden_text(r))] for m, r in by_month]
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
