"""Test oracles: one live query per KPI in DOMAIN.md, computed in the database from
person-level rows, independently of the stored facts. The tests reproduce DOMAIN.md's seed
figures with these and check that the registry's definitions (`apps.kpis.registry`, read
through `FactTable.kpi`) give the same figures. The portal itself never calls them.

Every function takes the caller's `scope` (municipality and, for leaders, departments) and
optional `department` (id) and `programme` (code) filters, runs aggregates only (no query
per row) and returns a `KpiResult` or a `Breakdown` with the small-number rule applied by
`apps.kpis.disclosure.disclose`, the one place that rule lives.

The aggregate expressions (`COHORT_COUNTS`, …) are the registry's, which `apps.kpis.facts`
runs grouped per department, programme and year to fill `MetricFact`.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.db.models import Count, Q
from django.utils.translation import gettext as _

from apps.core.scoping import Scope, TenantQuerySet
from apps.kpis.choices import Metric, Unit
from apps.kpis.disclosure import disclose
from apps.kpis.registry import (
    ABSENCE_SUMS,
    COHORT_COUNTS,
    hired_into_rows,
)
from apps.kpis.results import Breakdown, BreakdownRow, KpiResult
from apps.organisation.models import Workplace
from apps.supervisors.models import Supervisor
from apps.trainees.choices import PlacementKind, TraineeStatus
from apps.trainees.models import Absence, IntakeQuota, Placement, Trainee


def _breakdown(metric: str, rows: list[tuple[str, str, int]], scope: Scope) -> Breakdown:
    """(key, label, count) rows as the viewer may see them (`disclose`)."""
    return disclose(Breakdown(metric, [BreakdownRow(k, lbl, c) for k, lbl, c in rows]), scope)


# --- row-level starting points ----------------------------------------------------------


def _aggregate_scope(qs: TenantQuerySet, scope: Scope) -> TenantQuerySet:
    """Municipality and department restriction without the person-level cut-off: these
    selectors return aggregates only, which KKR analysts may see."""
    return TenantQuerySet.in_scope(qs, scope)


def _trainees(scope: Scope, department: int | None, programme: str | None):
    qs = _aggregate_scope(Trainee.objects.all(), scope)
    if department is not None:
        qs = qs.filter(department_id=department)
    if programme:
        qs = qs.of_programme(programme)
    return qs


def _years(years: int | Iterable[int]) -> list[int]:
    return [years] if isinstance(years, int) else list(years)


def cohort_counts(
    *, scope: Scope, cohort_years: int | Iterable[int], programme=None, department=None
) -> dict[str, int]:
    """The cohort counts (started, completed, dropped out, hired, internal recruits) of the
    trainees who started in `cohort_years`, in one aggregate query."""
    qs = _trainees(scope, department, programme).filter(start_year__in=_years(cohort_years))
    return qs.aggregate(**COHORT_COUNTS)


# --- cohort KPIs --------------------------------------------------------------------------


def kpi_started(*, scope: Scope, year: int, programme=None, department=None) -> KpiResult:
    """started(Y): "trainees with start date in year Y".

    Seed: Frederikssund, 37 SSH started 2022 and 45 SSA started 2020.
    """
    counts = cohort_counts(
        scope=scope, cohort_years=year, programme=programme, department=department
    )
    return disclose(KpiResult(Metric.STARTED, counts["started"], None, Unit.COUNT), scope)


def kpi_completion_rate(
    *, scope: Scope, cohort_year: int, programme=None, department=None
) -> KpiResult:
    """Completion rate: "completed ÷ started, per cohort".

    Seed: SSH 2022: 31/37 = 83.8 % ("84 procent"); SSA 2020: 27/45 = 60.0 %.
    """
    c = cohort_counts(
        scope=scope, cohort_years=cohort_year, programme=programme, department=department
    )
    return disclose(KpiResult(Metric.COMPLETION_RATE, c["completed"], c["started"]), scope)


def kpi_dropout_rate(
    *, scope: Scope, cohort_year: int, programme=None, department=None
) -> KpiResult:
    """Dropout rate: "dropped out ÷ started, per cohort".

    Seed: SSH 2022: 6/37 = 16.2 % ("16 procent"); SSA 2020: 18/45 = 40.0 %.
    """
    c = cohort_counts(
        scope=scope, cohort_years=cohort_year, programme=programme, department=department
    )
    return disclose(KpiResult(Metric.DROPOUT_RATE, c["dropped_out"], c["started"]), scope)


def kpi_hired_after_completion_rate(
    *, scope: Scope, cohort_year: int, programme=None, department=None
) -> KpiResult:
    """Hired after completion: "hired by the municipality ÷ completed".

    Seed: SSH 2022: 19/31 = 61.3 %; SSA 2020: 15/27 = 55.6 %.
    """
    c = cohort_counts(
        scope=scope, cohort_years=cohort_year, programme=programme, department=department
    )
    return disclose(
        KpiResult(Metric.HIRED_AFTER_COMPLETION_RATE, c["hired"], c["completed"]), scope
    )


def kpi_hire_rate(
    *, scope: Scope, cohort_years: int | Iterable[int], programme=None, department=None
) -> KpiResult:
    """Hire rate per started: "hired ÷ started, over one or more cohorts".

    Seed: both cohorts (SSH 2022 + SSA 2020): (19+15)/(37+45) = 41.5 % (the document
    writes 41,4). Pass the cohorts as `{"SSH": 2022, "SSA": 2020}` via `kpi_hire_rate_pooled`.
    """
    c = cohort_counts(
        scope=scope, cohort_years=cohort_years, programme=programme, department=department
    )
    return disclose(KpiResult(Metric.HIRE_RATE, c["hired"], c["started"]), scope)


def kpi_hire_rate_pooled(*, scope: Scope, cohorts: dict[str, int], department=None) -> KpiResult:
    """Hire rate per started over several programmes' cohorts, each with its own start year
    ("de senest færdige årgange på begge uddannelser"), in one query.

    Seed: {"SSH": 2022, "SSA": 2020} → 34/82 = 41.5 %.
    """
    cond = Q()
    for code, year in cohorts.items():
        cond |= Q(programme__code=code, start_year=year)
    qs = _trainees(scope, department, None).filter(cond)
    c = qs.aggregate(**COHORT_COUNTS)
    return disclose(KpiResult(Metric.HIRE_RATE, c["hired"], c["started"]), scope)


def kpi_hired_into(*, scope: Scope, cohort_year: int, programme=None, department=None) -> Breakdown:
    """Hired into: "hired graduates by department/workplace type, incl. 'ansat som SSA-elev'".

    Seed: SSH 2022: Døgnplejen 7, Omsorgscentre/daghjem 7, ansat som SSA-elev 5.
    """
    qs = (
        _trainees(scope, department, programme)
        .filter(start_year=cohort_year, status=TraineeStatus.COMPLETED, hired_after=True)
        .values("hired_as_ssa_student", "hired_into_department_id", "hired_into_department__name")
        .annotate(n=Count("id"))
        .order_by("hired_into_department__name")
    )
    return _breakdown(Metric.HIRED_INTO, hired_into_rows(qs), scope)


def kpi_internal_recruitment_rate(
    *, scope: Scope, year: int, programme=None, department=None
) -> dict[str, KpiResult]:
    """Internal recruitment: "started(Y) recruited from own staff ÷ started(Y); split
    unskilled / SSH".

    Seed: Frederikssund 2023: 16.3 % = 11.2 % unskilled + 5.1 % SSH.
    Returns {"total", "unskilled", "ssh"}.
    """
    c = cohort_counts(scope=scope, cohort_years=year, programme=programme, department=department)
    unskilled, ssh, started = c["internal_unskilled"], c["internal_ssh"], c["started"]
    metric = Metric.INTERNAL_RECRUITMENT_RATE
    return {
        "total": disclose(KpiResult(metric, unskilled + ssh, started), scope),
        "unskilled": disclose(KpiResult(metric, unskilled, started), scope),
        "ssh": disclose(KpiResult(metric, ssh, started), scope),
    }


def kpi_intake_vs_quota(*, scope: Scope, year: int, programme: str, department=None) -> KpiResult:
    """Intake vs quota: "started(Y) ÷ quota(Y) per programme".

    Seed: Frederikssund's quota is 56 SSA + 27 SSH a year. The municipality's quota is its own
    row (else its departments' rows summed); with a department filter, the department's own
    quota, or, when only the municipality has one, no value and the department's share of
    the municipality's intake.
    """
    started = _trainees(scope, department, programme).filter(start_year=year).count()
    quotas = _aggregate_scope(IntakeQuota.objects.all(), scope).filter(
        year=year, programme__code=programme
    )
    municipal = quotas.filter(department__isnull=True).first()
    if department is None:
        rows = [municipal] if municipal else list(quotas)
    else:
        rows = list(quotas.filter(department_id=department))
    if rows:
        minimum = sum(q.minimum for q in rows)
        maximum = None
        if any(q.maximum is not None for q in rows):
            maximum = sum(q.maximum or q.minimum for q in rows)
        result = KpiResult(
            Metric.INTAKE_VS_QUOTA, started, minimum, persons=started, maximum=maximum
        )
    elif department is not None and quotas.exists():
        everyone = _trainees(scope, None, programme).filter(start_year=year).count()
        result = KpiResult(
            Metric.INTAKE_VS_QUOTA, started, None, persons=started, share_of=everyone
        )
    else:
        result = KpiResult(Metric.INTAKE_VS_QUOTA, started, None, persons=started)
    return disclose(result, scope)


# --- event KPIs (by calendar year) -------------------------------------------------------


def _dropouts(scope, year, programme, department):
    return _trainees(scope, department, programme).filter(
        status=TraineeStatus.DROPPED_OUT, end_year=year
    )


def kpi_dropouts_by_reason(
    *, scope: Scope, year: int, programme=None, department=None
) -> Breakdown:
    """Dropouts by reason: "dropouts with dropout date in year Y, by reason".

    Seed: Frederikssund 2023 SSA: 6, 5, 4, 3, 3, 3, 1, 1, 2 (= 28); SSH: 5, 2, 2 (= 9).
    Health-related reasons appear here only as aggregates.
    """
    qs = (
        _dropouts(scope, year, programme, department)
        .values("dropout_reason__code", "dropout_reason__name", "dropout_reason__order")
        .annotate(n=Count("id"))
        .order_by("dropout_reason__order")
    )
    rows = [(r["dropout_reason__code"], r["dropout_reason__name"], r["n"]) for r in qs]
    return _breakdown(Metric.DROPOUTS_BY_REASON, rows, scope)


def kpi_dropouts_by_phase(*, scope: Scope, year: int, programme=None, department=None) -> Breakdown:
    """Dropouts by phase: "dropouts by phase, per programme" ("Hvornår falder SSA-elever
    fra?"), counting dropouts with dropout date in year Y; no phase recorded is "unknown"."""
    qs = (
        _dropouts(scope, year, programme, department)
        .values("dropout_phase__code", "dropout_phase__name", "dropout_phase__order")
        .annotate(n=Count("id"))
        .order_by("dropout_phase__order")
    )
    rows = [
        (r["dropout_phase__code"] or "unknown", r["dropout_phase__name"] or _("Ukendt"), r["n"])
        for r in qs
    ]
    return _breakdown(Metric.DROPOUTS_BY_PHASE, rows, scope)


def kpi_sick_absence_rate(
    *, scope: Scope, year: int, programme=None, department=None, month: int | None = None
) -> KpiResult:
    """Sick absence: "Σ sick days ÷ Σ planned working days in the period".

    Seed: Frederikssund 2023: 8.64 % (also written 8,84). The persons behind the figure are
    the trainees with absence rows in the period.
    """
    qs = _aggregate_scope(Absence.objects.all(), scope).filter(year=year)
    if department is not None:
        qs = qs.filter(trainee__department_id=department)
    if programme:
        qs = qs.filter(trainee__programme__code=programme)
    if month is not None:
        qs = qs.filter(month__month=month)
    sums = qs.aggregate(**ABSENCE_SUMS, persons=Count("trainee_id", distinct=True))
    return disclose(
        KpiResult(
            Metric.SICK_ABSENCE_RATE,
            sums["sick"] or 0,
            sums["planned"] or 0,
            persons=sums["persons"],
        ),
        scope,
    )


# --- supervisor KPIs (the state on a date) ----------------------------------------------


def _hosting_placements(scope: Scope, on_date: datetime.date, department, programme):
    qs = (
        _aggregate_scope(Placement.objects.all(), scope)
        .filter(kind=PlacementKind.TRAINING, workplace__isnull=False)
        .current(on_date)
    )
    if department is not None:
        qs = qs.filter(workplace__department_id=department)
    if programme:
        qs = qs.filter(trainee__programme__code=programme)
    return qs


def _supervisors(scope: Scope, department):
    qs = _aggregate_scope(Supervisor.objects.all(), scope).active()
    if department is not None:
        qs = qs.filter(workplace__department_id=department)
    return qs


def kpi_trained_supervisor_share(*, scope: Scope, department=None) -> KpiResult:
    """Trained supervisors: "active supervisors with a formal qualification ÷ active
    supervisors" (Hillerød: "alle praktikvejledere opnår uddannelse som vejleder")."""
    c = _supervisors(scope, department).aggregate(
        total=Count("id"), formal=Count("id", filter=Q(qualification__is_formal=True))
    )
    return disclose(KpiResult(Metric.TRAINED_SUPERVISOR_SHARE, c["formal"], c["total"]), scope)


def supervisor_coverage_rows(
    *, scope: Scope, on_date: datetime.date, department=None, programme=None
) -> list[dict]:
    """Per workplace hosting trainees on `on_date`: active and qualified supervisors and
    hosted trainees, in two grouped queries."""
    hosted = dict(
        _hosting_placements(scope, on_date, department, programme)
        .values("workplace_id")
        .annotate(n=Count("trainee_id", distinct=True))
        .values_list("workplace_id", "n")
    )
    sup = {
        row["workplace_id"]: row
        for row in _supervisors(scope, department)
        .filter(workplace_id__in=hosted)
        .values("workplace_id")
        .annotate(
            active=Count("id"), qualified=Count("id", filter=Q(qualification__is_formal=True))
        )
    }
    names = dict(Workplace.objects.filter(pk__in=hosted).values_list("pk", "name"))
    return [
        {
            "workplace_id": wid,
            "name": names.get(wid, ""),
            "trainees": n,
            "active": sup.get(wid, {}).get("active", 0),
            "qualified": sup.get(wid, {}).get("qualified", 0),
        }
        for wid, n in sorted(hosted.items(), key=lambda kv: names.get(kv[0], ""))
    ]


def kpi_supervisor_coverage(
    *,
    scope: Scope,
    on_date: datetime.date | None = None,
    department=None,
    programme=None,
    min_qualified: int = 1,
) -> KpiResult:
    """Supervisor coverage: "workplaces hosting trainees that have ≥ N qualified supervisors
    ÷ workplaces hosting trainees" ("en uddannet vejleder i hvert dagtilbud": N = 1;
    "mindst to praktikvejledere" per school: N = 2). Workplaces, not persons, are counted,
    so the small-number rule applies to the trainees hosted."""
    rows = supervisor_coverage_rows(
        scope=scope,
        on_date=on_date or datetime.date.today(),
        department=department,
        programme=programme,
    )
    covered = sum(1 for r in rows if r["qualified"] >= min_qualified)
    persons = sum(r["trainees"] for r in rows)
    return disclose(
        KpiResult(Metric.SUPERVISOR_COVERAGE, covered, len(rows), persons=persons), scope
    )


def kpi_trainees_per_supervisor(
    *, scope: Scope, on_date: datetime.date | None = None, department=None, programme=None
) -> KpiResult:
    """Trainees per supervisor: "active placements ÷ active supervisors" (capacity)."""
    placements = _hosting_placements(
        scope, on_date or datetime.date.today(), department, programme
    ).count()
    supervisors = _supervisors(scope, department).count()
    return disclose(
        KpiResult(
            Metric.TRAINEES_PER_SUPERVISOR,
            placements,
            supervisors,
            Unit.RATIO,
            persons=min(placements, supervisors),
        ),
        scope,
    )
