"""Trainee rows shaped like Frederikssund's strategy (seed 003), built in bulk.

The rows reproduce the document's own figures: SSH 2022 (37 started, 31 completed, 19 hired:
Døgnplejen 7, Omsorgscentre 7, ansat som SSA-elev 5), SSA 2020 (45, 27, 15), the 2023
dropouts by reason of Bilag 2 (SSA 28, SSH 9), internal recruitment 2023 (11 unskilled and
5 SSH of 98 started), sick absence 2023 (518.40 of 6,000 planned days = 8.64 %) and the quota
of 56 SSA + 27 SSH a year.
"""

import datetime
import itertools
from decimal import Decimal
from types import SimpleNamespace

from apps.organisation.models import Department, Municipality
from apps.trainees.choices import Recruitment, TraineeStatus
from apps.trainees.models import Absence, DropoutReason, IntakeQuota, Phase, Programme, Trainee

SSA_2023_REASONS = [
    ("private", 6),
    ("academic", 5),
    ("absence", 4),
    ("illness", 3),
    ("switch-ssa-ssh", 3),
    ("job-elsewhere", 3),
    ("moved", 1),
    ("death", 1),
    ("other", 2),
]
SSH_2023_REASONS = [("academic", 5), ("wrong-choice", 2), ("other", 2)]


def build_frederikssund() -> SimpleNamespace:
    municipality, _ = Municipality.objects.get_or_create(
        code=250, defaults={"name": "Frederikssund"}
    )
    dogn = Department.objects.create(municipality=municipality, name="Døgnplejen")
    omsorg = Department.objects.create(municipality=municipality, name="Omsorgscentre og daghjem")
    rehab = Department.objects.create(
        municipality=municipality, name="Rehabilitering og midlertidige pladser"
    )
    departments = itertools.cycle([dogn, omsorg, rehab])
    ssh = Programme.objects.get(code="SSH")
    ssa = Programme.objects.get(code="SSA")
    reasons = {r.code: r for r in DropoutReason.objects.all()}
    phases = list(Phase.objects.filter(code__in=["basic", "training-1", "school-1"]))
    serial = itertools.count(1)
    rows: list[Trainee] = []

    def trainee(programme, start, status, *, end=None, reason=None, **extra):
        n = next(serial)
        rows.append(
            Trainee(
                municipality=municipality,
                department=next(departments),
                hr_id=f"F{n:05d}",
                first_name="Elev",
                last_name=f"Nummer {n}",
                programme=programme,
                start_date=start,
                start_year=start.year,
                end_date=end,
                end_year=end.year if end else None,
                status=status,
                dropout_reason=reasons[reason] if reason else None,
                dropout_phase=phases[n % len(phases)] if reason else None,
                **extra,
            )
        )

    # SSH cohort 2022: 37 started, 31 completed (19 hired), 6 dropped out in 2022.
    start, done = datetime.date(2022, 8, 1), datetime.date(2023, 10, 31)
    hired_into = [dogn] * 7 + [omsorg] * 7
    for i in range(31):
        extra = {}
        if i < 14:
            extra = {"hired_after": True, "hired_into_department": hired_into[i]}
        elif i < 19:
            extra = {"hired_after": True, "hired_as_ssa_student": True}
        else:
            extra = {"hired_after": False}
        trainee(ssh, start, TraineeStatus.COMPLETED, end=done, **extra)
    for _ in range(6):
        trainee(
            ssh, start, TraineeStatus.DROPPED_OUT, end=datetime.date(2022, 11, 15), reason="private"
        )

    # SSA cohort 2020: 45 started, 27 completed (15 hired), 18 dropped out in 2021.
    start, done = datetime.date(2020, 8, 1), datetime.date(2023, 10, 31)
    hired_into = [dogn] * 8 + [omsorg] * 5 + [rehab] * 2
    for i in range(27):
        extra = {"hired_after": True, "hired_into_department": hired_into[i]} if i < 15 else {}
        trainee(ssa, start, TraineeStatus.COMPLETED, end=done, **extra)
    for _ in range(18):
        trainee(
            ssa, start, TraineeStatus.DROPPED_OUT, end=datetime.date(2021, 3, 1), reason="academic"
        )

    # 2023 dropouts (Bilag 2): SSA from the 2022 cohort (30 still in course), SSH from 2023.
    for code, count in SSA_2023_REASONS:
        for _ in range(count):
            trainee(
                ssa,
                datetime.date(2022, 2, 1),
                TraineeStatus.DROPPED_OUT,
                end=datetime.date(2023, 5, 1),
                reason=code,
            )
    for _ in range(30):
        trainee(ssa, datetime.date(2022, 2, 1), TraineeStatus.ACTIVE)
    ssh_2023_dropouts = [code for code, count in SSH_2023_REASONS for _ in range(count)]

    # 2023 intake: 98 started (38 SSH, 60 SSA); 11 own unskilled, 5 own SSH (as SSA students).
    for i in range(38):
        if i < len(ssh_2023_dropouts):
            trainee(
                ssh,
                datetime.date(2023, 2, 1),
                TraineeStatus.DROPPED_OUT,
                end=datetime.date(2023, 9, 1),
                reason=ssh_2023_dropouts[i],
            )
        else:
            recruitment = Recruitment.INTERNAL_UNSKILLED if i >= 27 else Recruitment.EXTERNAL
            trainee(ssh, datetime.date(2023, 2, 1), TraineeStatus.ACTIVE, recruitment=recruitment)
    for i in range(60):
        recruitment = Recruitment.INTERNAL_SSH if i < 5 else Recruitment.EXTERNAL
        trainee(ssa, datetime.date(2023, 8, 1), TraineeStatus.ACTIVE, recruitment=recruitment)

    Trainee.objects.bulk_create(rows)

    # Sick absence 2023: 25 of the 2023 SSA trainees × 12 months × 20 planned days;
    # 60 months with 1.72 sick days and 240 with 1.73: 518.40 / 6,000 = 8.64 %.
    absent = Trainee.objects.filter(municipality=municipality, programme=ssa, start_year=2023)[:25]
    absences = []
    sick_values = itertools.chain(
        itertools.repeat(Decimal("1.72"), 60), itertools.repeat(Decimal("1.73"))
    )
    for t in absent:
        for month in range(1, 13):
            absences.append(
                Absence(
                    municipality=municipality,
                    trainee=t,
                    month=datetime.date(2023, month, 1),
                    year=2023,
                    sick_days=next(sick_values),
                    planned_days=Decimal("20"),
                )
            )
    Absence.objects.bulk_create(absences)
    for year in range(2020, 2027):
        IntakeQuota.objects.create(municipality=municipality, programme=ssa, year=year, minimum=56)
        IntakeQuota.objects.create(municipality=municipality, programme=ssh, year=year, minimum=27)
    return SimpleNamespace(
        municipality=municipality, dogn=dogn, omsorg=omsorg, rehab=rehab, ssh=ssh, ssa=ssa
    )
