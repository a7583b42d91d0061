"""The demo population: seed figures reproduced exactly, consistent rows, idempotent."""

import io
import re
from collections import Counter
from decimal import Decimal

import pytest
from django.db.models import F, Sum
from django.db.models.functions import ExtractYear

from apps.demo.organisation import load_organisation
from apps.demo.population import load_population
from apps.supervisors.models import Supervisor
from apps.trainees.models import Absence, IntakeQuota, Placement, Trainee

pytestmark = pytest.mark.django_db


def test_the_demo_population_is_faithful_consistent_and_idempotent():
    """One load for all checks: generating five municipalities takes a while."""
    load_organisation()
    out = io.StringIO()
    load_population(stdout=out)
    assert "Elevbestand indlæst" in out.getvalue()
    assert out.getvalue().endswith(" s\n"), "every line ends with a newline, whatever the stream"
    check_frederikssund_seed_figures()
    check_hillerods_intake_follows_the_strategys_table()
    check_rows_are_consistent_and_ids_never_look_like_cpr()
    check_surnames_are_spread_like_a_danish_population()
    check_loading_twice_adds_nobody()


def cohort(code: str, year: int):
    return Trainee.objects.filter(municipality__code=250, programme__code=code, start_year=year)


def hired_into(trainees) -> Counter:
    return Counter(
        "SSA-elev" if t.hired_as_ssa_student else t.hired_into_department.name
        for t in trainees.filter(hired_after=True).select_related("hired_into_department")
    )


def check_frederikssund_seed_figures():
    ssh = cohort("SSH", 2022)
    assert Counter(ssh.values_list("status", flat=True)) == {"completed": 31, "dropped_out": 6}
    assert hired_into(ssh) == {"Døgnplejen": 7, "Omsorgscentre og daghjem": 7, "SSA-elev": 5}
    ssa = cohort("SSA", 2020)
    assert Counter(ssa.values_list("status", flat=True)) == {"completed": 27, "dropped_out": 18}
    assert hired_into(ssa) == {
        "Døgnplejen": 8,
        "Omsorgscentre og daghjem": 5,
        "Rehabilitering og midlertidige pladser": 2,
    }

    dropouts_2023 = Trainee.objects.filter(
        municipality__code=250, status="dropped_out", end_year=2023
    )
    assert Counter(
        dropouts_2023.filter(programme__code="SSA").values_list("dropout_reason__code", flat=True)
    ) == {
        "private": 6,
        "academic": 5,
        "absence": 4,
        "illness": 3,
        "switch-ssa-ssh": 3,
        "job-elsewhere": 3,
        "moved": 1,
        "death": 1,
        "other": 2,
    }
    assert Counter(
        dropouts_2023.filter(programme__code="SSH").values_list("dropout_reason__code", flat=True)
    ) == {"academic": 5, "wrong-choice": 2, "other": 2}

    started_2023 = Trainee.objects.filter(municipality__code=250, start_year=2023)
    recruitment = Counter(started_2023.values_list("recruitment", flat=True))
    assert started_2023.count() == 98
    assert (recruitment["internal_unskilled"], recruitment["internal_ssh"]) == (11, 5)

    absence = Absence.objects.filter(municipality__code=250, year=2023).aggregate(
        sick=Sum("sick_days"), planned=Sum("planned_days")
    )
    assert round(absence["sick"] / absence["planned"], 4) == Decimal("0.0864")

    quotas = IntakeQuota.objects.filter(municipality__code=250, year=2024)
    assert dict(quotas.values_list("programme__code", "minimum")) == {"SSA": 56, "SSH": 27}
    for year in range(2021, 2027):
        assert cohort("SSA", year).count() >= 56 and cohort("SSH", year).count() >= 27


def check_hillerods_intake_follows_the_strategys_table():
    quotas = IntakeQuota.objects.filter(municipality__code=219).select_related(
        "programme", "department"
    )
    assert quotas.filter(year=2023).count() == 15
    ranges = {
        q.programme.code: (q.minimum, q.maximum, q.department and q.department.name)
        for q in quotas.filter(year=2023)
    }
    # The table's ranges arrive intact, on the one fagområde the table names where it names one.
    assert ranges["PAU"] == (6, 14, None)
    assert ranges["PAED"] == (30, 35, None)
    assert ranges["ERGO"] == (18, 24, "Ældre og Sundhed")
    assert ranges["PSYKMO"] == (10, 15, "Ældre og Sundhed")
    assert ranges["SSH"] == (25, None, "Ældre og Sundhed")
    assert ranges["SSA"] == (52, None, None)
    assert ranges["LAER"] == (55, None, "Skole")
    for quota in quotas:
        started = Trainee.objects.filter(
            municipality__code=219, programme=quota.programme, start_year=quota.year
        ).count()
        assert quota.minimum <= started <= (quota.maximum or quota.minimum), quota


def check_rows_are_consistent_and_ids_never_look_like_cpr():
    for code in (219, 165, 707, 250, 217):
        assert Trainee.objects.filter(municipality__code=code).exists()
        assert Supervisor.objects.filter(municipality__code=code).exists()
    cpr = re.compile(r"\d{6}-?\d{4}")
    ids = list(Trainee.objects.values_list("hr_id", flat=True)) + list(
        Supervisor.objects.values_list("hr_id", flat=True)
    )
    assert not [i for i in ids if cpr.search(i)]
    assert not Trainee.objects.exclude(start_year=ExtractYear("start_date")).exists()
    assert not Trainee.objects.filter(status="dropped_out", dropout_phase__isnull=True).exists()
    assert not Absence.objects.exclude(year=ExtractYear("month")).exists()
    assert not Placement.objects.filter(kind="training", supervisor__isnull=True).exists()
    training = Placement.objects.filter(kind="training")
    assert not training.exclude(supervisor__workplace_id=F("workplace_id")).exists()


def check_surnames_are_spread_like_a_danish_population():
    trainees = Trainee.objects.filter(municipality__code=219)
    counts = Counter(trainees.values_list("last_name", flat=True))
    assert {name for name, _ in counts.most_common(3)} == {"Nielsen", "Jensen", "Hansen"}
    assert counts["Ali"] < counts["Andersen"] / 10
    # The trainee list's first page (ordered by surname) is not one name over and over.
    first_page = Counter(
        trainees.order_by(*Trainee._meta.ordering)[:50].values_list("last_name", flat=True)
    )
    assert len(first_page) >= 5
    assert first_page.most_common(1)[0][1] <= 35


def check_loading_twice_adds_nobody():
    counts = (Trainee.objects.count(), Placement.objects.count(), Supervisor.objects.count())
    out = io.StringIO()
    load_population(stdout=out)
    assert "springes over" in out.getvalue()
    assert counts == (
        Trainee.objects.count(),
        Placement.objects.count(),
        Supervisor.objects.count(),
    )
