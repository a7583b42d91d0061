"""The demo population for `manage.py load_demo`: trainees, placements, monthly absence,
supervisors and intake quotas for the five seed municipalities.

Generated, not real: a `random.Random` with a fixed seed and a fixed reference date make
every run produce the same people. Where the seed documents give numbers, the population
reproduces them exactly (shared/seeds/000 section 3 and 003):

- Hillerød: annual intake per faggruppe within the strategy's table ("6-14" → 6 to 14),
  whose ranges are loaded as quotas (on the fagområde the table names, where it names one).
- Frederikssund: quota 56 SSA + 27 SSH a year; SSH 2022 cohort 37 started, 31 completed,
  6 dropped out, 19 hired (Døgnplejen 7, Omsorgscentre og daghjem 7, SSA-elev 5); SSA 2020
  cohort 45 / 27 / 18 / 15 (Døgnplejen 8, Omsorgscentre 5, Rehabilitering 2); dropouts in
  2023 by reason (Bilag 2: SSA 28, SSH 9); 2023 intake recruited internally 16.3 %
  (11.2 % unskilled + 5.1 % SSH, i.e. 11 + 5 of 98); sick absence 2023 8.64 %.

HR ids look like "D219-00042" / "V219-0007": never like a CPR number.
"""

from __future__ import annotations

import random
import time

from django.db import transaction

from apps.demo.frederikssund import FrederikssundGenerator
from apps.demo.generator import Generator
from apps.demo.population_data import (
    FREDERIKSSUND_QUOTA,
    FREDERIKSSUND_QUOTA_NOTE,
    HILLEROD,
    HILLEROD_FIRST_YEAR,
    HILLEROD_NOTE,
    OTHER_MUNICIPALITIES,
    QUOTA_YEARS,
    SEED,
    YEARS,
)
from apps.organisation.models import Department, Municipality
from apps.supervisors.models import Supervisor
from apps.trainees.models import (
    IntakeQuota,
    Programme,
    Trainee,
)


def _quotas(municipality: Municipality) -> int:
    """The quotas the seed documents give: Hillerød's intake table (section 3 of seed 000)
    with its ranges kept ("6-14" PAU is 6 to 14), on the one fagområde a faggruppe is tied
    to where the table names one, else for the whole municipality; Frederikssund's 56 SSA
    and 27 SSH a year."""
    programmes = {p.code: p for p in Programme.objects.all()}
    departments = {d.name: d for d in Department.objects.filter(municipality=municipality)}
    rows = []
    if municipality.code == 219:
        for code, (low, high), names in HILLEROD:
            department = departments.get(names[0]) if len(names) == 1 else None
            for year in QUOTA_YEARS:
                if year < HILLEROD_FIRST_YEAR.get(code, 0):
                    continue
                high_or_none = high if high != low else None
                rows.append((code, year, department, low, high_or_none, HILLEROD_NOTE))
    elif municipality.code == 250:
        for code, minimum in FREDERIKSSUND_QUOTA.items():
            for year in range(2021, 2027):
                rows.append((code, year, None, minimum, None, FREDERIKSSUND_QUOTA_NOTE))
    for code, year, department, minimum, maximum, note in rows:
        # One quota per programme and year: a rerun moves it to where the table puts it.
        IntakeQuota.objects.filter(
            municipality=municipality, programme=programmes[code], year=year
        ).exclude(department=department).delete()
        IntakeQuota.objects.update_or_create(
            municipality=municipality,
            programme=programmes[code],
            year=year,
            department=department,
            defaults={"minimum": minimum, "maximum": maximum, "note": note},
        )
    return len(rows)


def _generator(municipality: Municipality, rng: random.Random) -> Generator:
    """The municipality's population in memory (supervisors first: placements need them)."""
    if municipality.code == 250:
        generator = FrederikssundGenerator(municipality, rng)
        generator.make_supervisors()
        generator.build()
        return generator
    specs = HILLEROD if municipality.code == 219 else OTHER_MUNICIPALITIES.get(municipality.code)
    generator = Generator(municipality, rng)
    generator.make_supervisors()
    for code, (low, high), departments in specs or []:
        for year in YEARS:
            if year >= HILLEROD_FIRST_YEAR.get(code, 0) or municipality.code != 219:
                generator.add_cohort(code, year, rng.randint(low, high), departments)
    return generator


def load_population(*, stdout) -> None:
    """Generate the demo population of every seed municipality that has no trainees yet."""
    started = time.perf_counter()
    for municipality in Municipality.objects.filter(code__in=[219, 165, 707, 250, 217]).order_by(
        "code"
    ):
        quotas = _quotas(municipality)
        if (
            Trainee.objects.filter(municipality=municipality).exists()
            or Supervisor.objects.filter(municipality=municipality).exists()
        ):
            stdout.write(
                f"{municipality.name}: har allerede elever eller vejledere, springes over\n"
            )
            continue
        rng = random.Random(f"{SEED}-{municipality.code}")
        with transaction.atomic():
            generator = _generator(municipality, rng)
            Supervisor.objects.bulk_create(generator.all_supervisors, batch_size=1000)
            generator.settle()
            trainees, placements, absences = generator.write()
        stdout.write(
            f"{municipality.name}: {trainees} elever, {placements} praktikperioder, "
            f"{absences} fraværsmåneder, {len(generator.all_supervisors)} vejledere, "
            f"{quotas} dimensioneringer\n"
        )
    stdout.write(f"Elevbestand indlæst på {time.perf_counter() - started:.1f} s\n")
