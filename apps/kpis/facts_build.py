"""Building one municipality's pre-aggregated facts (`MetricFact`) from the live tables.

`facts_build` runs the selectors' aggregate expressions grouped per department, programme
and year (seven grouped queries per municipality, whatever its size); `measurements_recompute`
stores what it returns. `apps.kpis.facts.FactTable` reads them back.
"""

from __future__ import annotations

import datetime

from django.db.models import Count, Q

from apps.kpis.facts import ABSENCE_PERSONS, ENDED, HOSTED, SUPERVISORS
from apps.kpis.models import MetricFact
from apps.kpis.registry import (
    ABSENCE,
    ABSENCE_SUMS,
    COHORT,
    COHORT_COUNTS,
    FACT_SOURCES,
    HIRED_AS_SSA_STUDENT_KEY,
    HIRED_INTO,
    PHASE,
    REASON,
)
from apps.supervisors.models import Supervisor
from apps.trainees.choices import PlacementKind, TraineeStatus
from apps.trainees.models import Absence, Placement, Trainee


def facts_build(*, municipality_id: int, as_of: datetime.date) -> list[MetricFact]:
    """All facts of one municipality, unsaved. Supervisor facts describe `as_of`."""
    m = municipality_id
    facts: list[MetricFact] = []

    def add(kind, dept, prog, year, key, num, den=0):
        if num or den:
            facts.append(
                MetricFact(
                    municipality_id=m,
                    department_id=dept,
                    programme_id=prog,
                    year=year,
                    kind=kind,
                    key=str(key),
                    numerator=num or 0,
                    denominator=den or 0,
                )
            )

    trainees = Trainee.objects.filter(municipality_id=m)
    for r in (
        trainees.values("department_id", "programme_id", "start_year")
        .annotate(**COHORT_COUNTS)
        .order_by()
    ):
        for key in COHORT_COUNTS:
            add(COHORT, r["department_id"], r["programme_id"], r["start_year"], key, r[key])

    ended = trainees.filter(status__in=[TraineeStatus.COMPLETED, TraineeStatus.DROPPED_OUT])
    for r in (
        ended.values("department_id", "programme_id", "start_year", "end_year")
        .annotate(n=Count("id"))
        .order_by()
    ):
        # Without an end date the course counts as ended whatever the period.
        key = r["end_year"] or 0
        add(ENDED, r["department_id"], r["programme_id"], r["start_year"], key, r["n"])

    dropouts = trainees.filter(status=TraineeStatus.DROPPED_OUT, end_year__isnull=False)
    for field_name, kind in (("dropout_reason__code", REASON), ("dropout_phase__code", PHASE)):
        for r in (
            dropouts.values("department_id", "programme_id", "end_year", field_name)
            .annotate(n=Count("id"))
            .order_by()
        ):
            key = r[field_name] or "unknown"
            add(kind, r["department_id"], r["programme_id"], r["end_year"], key, r["n"])

    hired = trainees.filter(status=TraineeStatus.COMPLETED, hired_after=True)
    for r in (
        hired.values(
            "department_id",
            "programme_id",
            "start_year",
            "hired_as_ssa_student",
            "hired_into_department_id",
        )
        .annotate(n=Count("id"))
        .order_by()
    ):
        if r["hired_as_ssa_student"]:
            key = HIRED_AS_SSA_STUDENT_KEY
        elif r["hired_into_department_id"]:
            key = f"department-{r['hired_into_department_id']}"
        else:
            key = "unknown"
        add(HIRED_INTO, r["department_id"], r["programme_id"], r["start_year"], key, r["n"])

    absences = Absence.objects.filter(municipality_id=m)
    for r in (
        absences.values("trainee__department_id", "trainee__programme_id", "year", "month__month")
        .annotate(**ABSENCE_SUMS, n=Count("trainee_id", distinct=True))
        .order_by()
    ):
        dept, prog, month = (
            r["trainee__department_id"],
            r["trainee__programme_id"],
            r["month__month"],
        )
        add(ABSENCE, dept, prog, r["year"], f"{month:02d}", r["sick"], r["planned"])
        add(ABSENCE_PERSONS, dept, prog, r["year"], f"{month:02d}", r["n"])
    for r in (
        absences.values("trainee__department_id", "trainee__programme_id", "year")
        .annotate(n=Count("trainee_id", distinct=True))
        .order_by()
    ):
        add(
            ABSENCE_PERSONS,
            r["trainee__department_id"],
            r["trainee__programme_id"],
            r["year"],
            "",
            r["n"],
        )

    hosted = Placement.objects.filter(
        municipality_id=m, kind=PlacementKind.TRAINING, workplace__isnull=False
    ).current(as_of)
    for r in (
        hosted.values("workplace_id", "workplace__department_id", "trainee__programme_id")
        .annotate(n=Count("trainee_id", distinct=True), placements=Count("id"))
        .order_by()
    ):
        add(
            HOSTED,
            r["workplace__department_id"],
            r["trainee__programme_id"],
            as_of.year,
            r["workplace_id"],
            r["n"],
            r["placements"],
        )
    for r in (
        Supervisor.objects.filter(municipality_id=m, is_active=True)
        .values("workplace_id", "workplace__department_id")
        .annotate(
            active=Count("id"), qualified=Count("id", filter=Q(qualification__is_formal=True))
        )
        .order_by()
    ):
        add(
            SUPERVISORS,
            r["workplace__department_id"],
            None,
            as_of.year,
            r["workplace_id"] or "",
            r["qualified"],
            r["active"],
        )
    # Facts of apps below kpis in the app map (the placement survey), through the hook.
    for source in FACT_SOURCES:
        for kind, dept, prog, year, key, num, den in source(municipality_id=m, as_of=as_of):
            add(kind, dept, prog, year, key, num, den)
    return facts
