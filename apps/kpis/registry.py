"""The KPI registry: the one place each KPI of DOMAIN.md is defined.

A `MetricDefinition` says what a KPI counts (a function over the pre-aggregated facts of a
`FactTable`), its period rule (cohort start year, calendar year, or the current state), its
unit and direction, whether the API serves it, and how its figure is disclosed to a viewer
(`apps.kpis.disclosure.disclose`, the one small-number rule). Everything that shows a KPI
reads it from here: `FactTable.kpi`, the dashboards, the API and its OpenAPI schema, and the
indicators' recomputation. Nothing else knows how a KPI is computed.

Adding a KPI is one definition at the end of this module (plus its `Metric` member in
`apps.kpis.choices`); the pages, the API and its schema pick it up from here::

    def _my_rate(table: FactTable, q: Query) -> KpiResult:
        c = table.cohort(q.year, **q.filters)
        return KpiResult(Metric.MY_RATE, c["hired"], c["started"])

    register(MetricDefinition(Metric.MY_RATE, _my_rate, Period.COHORT, Unit.PERCENT))

The default period of every page and of the API is `default_period` (below), once.

A KPI counted from rows of an app below kpis in the app map (kpis may not import it) is still
defined here, over facts of its own kind; that app hands those facts in through
`register_fact_source` (the placement survey: `apps.survey.facts`), so `facts_build` stores
them with the others and the definition reads them like any other facts.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import Count, Q, Sum
from django.utils.translation import gettext as _

from apps.kpis.choices import Direction, Metric, Unit
from apps.kpis.disclosure import SMALL_NUMBER_LIMIT, disclose
from apps.kpis.results import Breakdown, BreakdownRow, KpiResult, QuotaRange
from apps.trainees.choices import Recruitment, TraineeStatus

if TYPE_CHECKING:
    from apps.kpis.facts import Cohort, FactTable

# --- what the facts count (aggregate expressions over the person-level rows) ---------------

# Cohort counts: the trainees of one start year, by outcome.
COHORT_COUNTS = {
    "started": Count("id"),
    "completed": Count("id", filter=Q(status=TraineeStatus.COMPLETED)),
    "dropped_out": Count("id", filter=Q(status=TraineeStatus.DROPPED_OUT)),
    "hired": Count("id", filter=Q(status=TraineeStatus.COMPLETED, hired_after=True)),
    "internal_unskilled": Count("id", filter=Q(recruitment=Recruitment.INTERNAL_UNSKILLED)),
    "internal_ssh": Count("id", filter=Q(recruitment=Recruitment.INTERNAL_SSH)),
}
ABSENCE_SUMS = {"sick": Sum("sick_days"), "planned": Sum("planned_days")}
HIRED_AS_SSA_STUDENT_KEY = "ssa-student"

# Fact kinds (`MetricFact.kind`) the definitions read; `apps.kpis.facts` has the rest.
COHORT, ABSENCE = "cohort", "absence"
REASON, PHASE, HIRED_INTO = "reason", "phase", "hired_into"
# Placement survey: per department, programme and year of placement end, numerator = the
# answers "Ja, i høj grad" or "Ja, i nogen grad", denominator = all answers (key "").
SURVEY_WELCOMED = "survey_welcomed"
# A survey figure is shown only when at least this many answers are behind it, to every role:
# the portal's one small-number limit, applied here to coordinators too.
SURVEY_MIN_ANSWERS = SMALL_NUMBER_LIMIT

# Fact sources of apps below kpis: callables `source(*, municipality_id, as_of)` yielding
# (kind, department_id, programme_id, year, key, numerator, denominator).
FACT_SOURCES: list[Callable] = []


def register_fact_source(source: Callable) -> Callable:
    """Let `facts_build` store the facts `source` yields (once per source)."""
    if source not in FACT_SOURCES:
        FACT_SOURCES.append(source)
    return source


class Period:
    """Period rules: what the `year` of a KPI means."""

    COHORT = "cohort"  # the start year of the trainees counted
    CALENDAR = "calendar"  # the year the events (dropouts, absence days) happened in
    STATE = "state"  # the state on the date of the last recomputation (supervisors)


@dataclass(frozen=True)
class Query:
    """What a KPI is asked for: a period and optional filters."""

    year: int
    programme: str | None = None
    department: int | frozenset | None = None  # an id, or the set of a leader's ids
    cohorts: list[Cohort] | None = None  # pooled finished cohorts (cohort outcomes only)
    min_qualified: int = 1
    month: int | None = None  # one month of a calendar year (sick absence by month)

    @property
    def filters(self) -> dict:
        return {"programme": self.programme, "department": self.department}


@dataclass(frozen=True)
class MetricDefinition:
    """One KPI: what it counts (`compute`, raw figures, never disclosed), its period rule,
    unit, direction, whether cohorts can be pooled ("de senest færdige årgange"), where its
    years come from, whether the API serves it, and its disclosure policy."""

    metric: str
    compute: Callable[[FactTable, Query], KpiResult | Breakdown]
    period: str
    unit: str | None = Unit.PERCENT  # None: a breakdown (counts by category)
    direction: str = Direction.HIGHER
    pools_cohorts: bool = False
    years_from: str = COHORT  # the fact kind whose years are this KPI's periods
    in_api: bool = True  # the internal-recruitment counts are indicator-only
    disclosure: Callable = disclose

    @property
    def is_breakdown(self) -> bool:
        return self.unit is None

    def period_for(self, table: FactTable, year: int | None, today: datetime.date) -> int:
        """The period this KPI answers for when asked for `year` (None: the default)."""
        if self.period == Period.STATE:
            return table.supervisor_year(today.year if year is None else year)
        return default_period([table], today) if year is None else year


REGISTRY: dict[str, MetricDefinition] = {}


def register(definition: MetricDefinition) -> MetricDefinition:
    """Declare a KPI; a second definition of the same metric is an error."""
    if definition.metric in REGISTRY:
        raise ValueError(f"{definition.metric} is already defined")
    REGISTRY[definition.metric] = definition
    return definition


def unregister(metric: str) -> None:
    del REGISTRY[metric]


def definition(metric: str) -> MetricDefinition:
    return REGISTRY[metric]


def api_metrics() -> list[str]:
    return [m for m, d in REGISTRY.items() if d.in_api]


def api_breakdowns() -> list[str]:
    return [m for m, d in REGISTRY.items() if d.in_api and d.is_breakdown]


# --- the default period -------------------------------------------------------------------


def default_year(years: list[int], today: datetime.date) -> int:
    """The latest finished year with data (the current year is still running), or the latest
    year when there is no finished one."""
    finished = [y for y in years if y < today.year]
    return finished[-1] if finished else years[-1]


def available_years(tables: Iterable[FactTable], today: datetime.date) -> list[int]:
    """The years with cohort or absence facts, up to this year (this year when none)."""
    years = {y for t in tables for y in (*t.years(COHORT), *t.years(ABSENCE)) if y is not None}
    return sorted(y for y in years if y <= today.year) or [today.year]


def default_period(tables: Iterable[FactTable], today: datetime.date) -> int:
    """The one default year of the dashboards and the API."""
    return default_year(available_years(tables, today), today)


# --- the KPIs --------------------------------------------------------------------------------


def _counts(table: FactTable, q: Query) -> dict[str, int]:
    if q.cohorts is not None:
        return table.pooled(q.cohorts, q.department)
    return table.cohort(q.year, **q.filters)


def _cohort_ratio(metric: str, num: str, den: str):
    def compute(table: FactTable, q: Query) -> KpiResult:
        c = _counts(table, q)
        return KpiResult(metric, c[num], c[den])

    return compute


def _cohort_count(metric: str, key: str):
    def compute(table: FactTable, q: Query) -> KpiResult:
        return KpiResult(metric, table.count(COHORT, key, q.year, **q.filters), None, Unit.COUNT)

    return compute


def _internal_recruitment(table: FactTable, q: Query) -> KpiResult:
    c = table.cohort(q.year, **q.filters)
    internal = c["internal_unskilled"] + c["internal_ssh"]
    return KpiResult(Metric.INTERNAL_RECRUITMENT_RATE, internal, c["started"])


def _intake_vs_quota(table: FactTable, q: Query) -> KpiResult:
    """Started against the quota (a minimum, or a range: within it is reached).

    For the municipality: its quota (its own row, else its departments' rows summed); without a
    programme, over the programmes with a quota that year. For a department: that
    department's own quota where it has one; where only the municipality has a quota the
    ratio would mislead, so there is no value, a note saying so, and the department's share
    of the municipality's intake (`share_of`) instead."""
    codes = [q.programme] if q.programme else table.quota_programmes(q.year)

    def started(codes, department):
        return sum(
            table.count(COHORT, "started", q.year, programme=c, department=department)
            for c in codes
        )

    def result(n, quota=None, **extra):
        return KpiResult(
            Metric.INTAKE_VS_QUOTA,
            n,
            (quota.minimum or None) if quota else None,
            persons=n or None,
            maximum=quota.maximum if quota else None,
            **extra,
        )

    if q.department is None:
        quotas = [r for c in codes if (r := table.quota_range(q.year, c)) is not None]
        return result(started(codes, None), QuotaRange.total(quotas) if quotas else None)
    own = {c: r for c in codes if (r := table.quota_range(q.year, c, q.department)) is not None}
    if own:
        note = ""
        if len(own) < len(codes):
            note = _("Kun uddannelser med en dimensionering for fagområdet tæller med.")
        return result(started(own, q.department), QuotaRange.total(own.values()), note=note)
    n = started(codes, q.department)
    if any(table.quota_range(q.year, c) is not None for c in codes):
        return result(
            n,
            note=_("Der er kun en dimensionering for hele kommunen"),
            share_of=sum(table.started_in_municipality(q.year, c) for c in codes),
        )
    return result(n, note=_("Der er ingen dimensionering for %(year)s") % {"year": q.year})


def _sick_absence(table: FactTable, q: Query) -> KpiResult:
    sick, planned, persons = table.absence(q.year, month=q.month, **q.filters)
    return KpiResult(Metric.SICK_ABSENCE_RATE, sick, planned, persons=persons)


def _trained_supervisors(table: FactTable, q: Query) -> KpiResult:
    # The programme filter applies too: the supervisors where that programme's trainees are.
    qualified, active = table.supervisor_totals(q.year, q.department, q.programme)
    return KpiResult(Metric.TRAINED_SUPERVISOR_SHARE, qualified, active)


def _supervisor_coverage(table: FactTable, q: Query) -> KpiResult:
    rows = table.coverage_rows(q.year, **q.filters)
    covered = sum(1 for r in rows if r["qualified"] >= q.min_qualified)
    persons = sum(r["trainees"] for r in rows)
    return KpiResult(Metric.SUPERVISOR_COVERAGE, covered, len(rows), persons=persons)


def _trainees_per_supervisor(table: FactTable, q: Query) -> KpiResult:
    placements = sum(r["placements"] for r in table.coverage_rows(q.year, **q.filters))
    _q, active = table.supervisor_totals(q.year, q.department)
    return KpiResult(
        Metric.TRAINEES_PER_SUPERVISOR,
        placements,
        active,
        Unit.RATIO,
        persons=min(placements, active),
    )


def _breakdown(metric: str, kind: str, catalogue: Callable[[FactTable], list]):
    """Counts by category: the facts of `kind` per (key, label) of `catalogue(table)`."""

    def compute(table: FactTable, q: Query) -> Breakdown:
        rows = table.breakdown_rows(kind, catalogue(table), q.year, **q.filters)
        return Breakdown(metric, [BreakdownRow(k, label, n) for k, label, n in rows])

    return compute


def _reasons(table: FactTable) -> list[tuple[str, str]]:
    return table.reasons


def _phases(table: FactTable) -> list[tuple[str, str]]:
    return [*table.phases, ("unknown", _("Ukendt"))]


def _hired_into(table: FactTable) -> list[tuple[str, str]]:
    """The departments hired into (by name), then "hired as SSA student", then unknown."""

    def name(key: str) -> str | None:
        return table.departments.get(int(key.removeprefix("department-")))

    keys = sorted(
        (k for k in table.keys_of(HIRED_INTO) if k.startswith("department-")),
        key=lambda k: name(k) or "",
    )
    return [
        *((k, name(k) or k) for k in keys),
        (HIRED_AS_SSA_STUDENT_KEY, _("Ansat som SSA-elev")),
        ("unknown", _("Ukendt")),
    ]


def hired_into_rows(grouped) -> list[tuple[str, str, int]]:
    """Merge grouped rows into (key, label, count): departments first, then SSA students."""
    by_key: dict[str, list] = {}
    for row in grouped:
        if row["hired_as_ssa_student"]:
            key, label = HIRED_AS_SSA_STUDENT_KEY, _("Ansat som SSA-elev")
        elif row["hired_into_department_id"]:
            key = f"department-{row['hired_into_department_id']}"
            label = row["hired_into_department__name"]
        else:
            key, label = "unknown", _("Ukendt")
        by_key.setdefault(key, [key, label, 0])[2] += row["n"]
    return sorted(
        (tuple(v) for v in by_key.values()),
        key=lambda r: (r[0] == HIRED_AS_SSA_STUDENT_KEY, r[0] == "unknown", r[1]),
    )


def _placement_welcomed_share(table: FactTable, q: Query) -> KpiResult:
    welcomed, answers = table.sum(SURVEY_WELCOMED, "", q.year, **q.filters)
    return KpiResult(Metric.PLACEMENT_WELCOMED_SHARE, int(welcomed), int(answers))


def _disclose_survey(figure: KpiResult, scope, **where) -> KpiResult:
    """Survey answers are anonymous: fewer than five answers show nothing, for every role;
    otherwise the usual small-number rule."""
    if figure.denominator is not None and 0 < figure.denominator < SURVEY_MIN_ANSWERS:
        return KpiResult(figure.metric, None, None, figure.unit, suppressed=True)
    return disclose(figure, scope, **where)


M, P, D = Metric, Period, Direction
for _definition in (
    MetricDefinition(
        M.STARTED, _cohort_count(M.STARTED, "started"), P.COHORT, Unit.COUNT, D.HIGHER
    ),
    MetricDefinition(
        M.COMPLETION_RATE,
        _cohort_ratio(M.COMPLETION_RATE, "completed", "started"),
        P.COHORT,
        pools_cohorts=True,
    ),
    MetricDefinition(
        M.DROPOUT_RATE,
        _cohort_ratio(M.DROPOUT_RATE, "dropped_out", "started"),
        P.COHORT,
        direction=D.LOWER,
        pools_cohorts=True,
    ),
    MetricDefinition(
        M.HIRED_AFTER_COMPLETION_RATE,
        _cohort_ratio(M.HIRED_AFTER_COMPLETION_RATE, "hired", "completed"),
        P.COHORT,
        pools_cohorts=True,
    ),
    MetricDefinition(
        M.HIRE_RATE, _cohort_ratio(M.HIRE_RATE, "hired", "started"), P.COHORT, pools_cohorts=True
    ),
    MetricDefinition(
        M.HIRED_INTO, _breakdown(M.HIRED_INTO, HIRED_INTO, _hired_into), P.COHORT, None
    ),
    MetricDefinition(
        M.DROPOUTS_BY_REASON, _breakdown(M.DROPOUTS_BY_REASON, REASON, _reasons), P.CALENDAR, None
    ),
    MetricDefinition(
        M.DROPOUTS_BY_PHASE, _breakdown(M.DROPOUTS_BY_PHASE, PHASE, _phases), P.CALENDAR, None
    ),
    MetricDefinition(M.INTAKE_VS_QUOTA, _intake_vs_quota, P.COHORT),
    MetricDefinition(M.INTERNAL_RECRUITMENT_RATE, _internal_recruitment, P.COHORT),
    MetricDefinition(
        M.INTERNAL_UNSKILLED_COUNT,
        _cohort_count(M.INTERNAL_UNSKILLED_COUNT, "internal_unskilled"),
        P.COHORT,
        Unit.COUNT,
        in_api=False,
    ),
    MetricDefinition(
        M.INTERNAL_SSH_COUNT,
        _cohort_count(M.INTERNAL_SSH_COUNT, "internal_ssh"),
        P.COHORT,
        Unit.COUNT,
        in_api=False,
    ),
    MetricDefinition(
        M.SICK_ABSENCE_RATE, _sick_absence, P.CALENDAR, direction=D.LOWER, years_from=ABSENCE
    ),
    MetricDefinition(M.TRAINED_SUPERVISOR_SHARE, _trained_supervisors, P.STATE),
    MetricDefinition(M.SUPERVISOR_COVERAGE, _supervisor_coverage, P.STATE),
    MetricDefinition(
        M.TRAINEES_PER_SUPERVISOR, _trainees_per_supervisor, P.STATE, Unit.RATIO, D.LOWER
    ),
    # Period: the calendar year the placements answered about ended in.
    MetricDefinition(
        M.PLACEMENT_WELCOMED_SHARE,
        _placement_welcomed_share,
        P.CALENDAR,
        years_from=SURVEY_WELCOMED,
        disclosure=_disclose_survey,
    ),
):
    register(_definition)
del M, P, D, _definition
