"""The indicator export: one row per indicator and year, goals joined, figures under the
small-number rule for the reader's role, filters, access log, scope, query count."""

import csv
import io
from decimal import Decimal

import openpyxl
import pytest
from django.urls import reverse

from apps.core.models import AuditEntry
from apps.kpis.models import Indicator, Measurement
from apps.strategy.models import FocusArea
from tests.factories import FocusAreaFactory, GoalFactory, StrategyFactory

pytestmark = pytest.mark.django_db

EXPORT = reverse("kpis:indicator_export")


def read_csv(content: bytes) -> list[dict]:
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig")), delimiter=";"))
    return [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]


@pytest.fixture
def indicators(municipality, elderly, school, other_municipality):
    strategy = StrategyFactory(municipality=municipality)
    area = FocusAreaFactory(strategy=strategy, title="Fastholdelse")
    goal_a = GoalFactory(focus_area=area, text="Færre falder fra")
    goal_b = GoalFactory(focus_area=area, text="@Flere gennemfører")
    common = Indicator.objects.create(
        municipality=municipality, name="=Velkomst", unit="percent", baseline_value=Decimal("60")
    )
    common.goals.set([goal_a, goal_b])
    for period, num, den, value in ((2023, 3, 20, "15.00"), (2024, 12, 20, "60.00")):
        Measurement.objects.create(
            municipality=municipality,
            indicator=common,
            period=period,
            numerator=num,
            denominator=den,
            value=Decimal(value),
        )
    school_only = Indicator.objects.create(
        municipality=municipality, name="Skolens nøgletal", unit="count", department=school
    )
    Measurement.objects.create(
        municipality=municipality, indicator=school_only, period=2024, numerator=3, value=3
    )
    Indicator.objects.create(municipality=other_municipality, name="Albertslunds nøgletal")
    return {"strategy": strategy, "area": area, "common": common}


def test_one_row_per_indicator_and_year_with_goals_and_exact_figures(
    login, coordinator, indicators
):
    rows = read_csv(login(coordinator).get(EXPORT, {"format": "csv"}).content)
    assert [(r["Nøgletal"], r["År"]) for r in rows] == [
        ("'=Velkomst", "2023"),
        ("'=Velkomst", "2024"),
        ("Skolens nøgletal", "2024"),
    ]
    first = rows[0]
    assert first["Målsætninger"].split("\n") == ["Færre falder fra", "@Flere gennemfører"]
    assert (first["Værdi"], first["Tæller"], first["Nævner"]) == ("15", "3", "20")
    assert first["Baseline"] == "60"
    assert first["Fagområde"] == "Hele kommunen"


def test_xlsx_cells_are_typed_and_never_formulas(login, coordinator, indicators):
    content = login(coordinator).get(EXPORT, {"format": "xlsx"}).content
    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)
    rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    assert rows[1][0] == "'=Velkomst"
    assert rows[1][rows[0].index("Værdi")] == 15


def test_a_leader_gets_municipality_wide_counts_under_the_small_number_rule(
    login, leader, indicators
):
    rows = read_csv(login(leader).get(EXPORT, {"format": "csv"}).content)
    # Not the other department's indicator; the municipality-wide one under the rule.
    assert {r["Nøgletal"] for r in rows} == {"'=Velkomst"}
    by_year = {r["År"]: r for r in rows}
    assert (by_year["2023"]["Værdi"], by_year["2023"]["Tæller"]) == ("< 5", "< 5")
    assert (by_year["2024"]["Tæller"], by_year["2024"]["Nævner"]) == ("10", "20")
    assert "afrundet" in by_year["2024"]["Note"]


def test_filters_apply_and_are_logged(login, coordinator, indicators, school):
    client = login(coordinator)
    rows = read_csv(client.get(EXPORT, {"format": "csv", "department": school.pk}).content)
    assert [r["Nøgletal"] for r in rows] == ["Skolens nøgletal"]
    area = FocusArea.objects.get(pk=indicators["area"].pk)
    rows = read_csv(client.get(EXPORT, {"format": "csv", "focus_area": area.pk}).content)
    assert {r["Nøgletal"] for r in rows} == {"'=Velkomst"}
    entries = AuditEntry.objects.filter(action="export").order_by("occurred_at")
    assert entries[0].context == {
        "list": "kpis.indicator",
        "criteria": {"department": str(school.pk)},
        "format": "csv",
        "rows": 1,
    }
    assert entries[1].context["criteria"] == {"focus_area": str(area.pk)}


def test_another_municipality_sees_only_its_own(login, outsider, indicators):
    rows = read_csv(login(outsider).get(EXPORT, {"format": "csv"}).content)
    assert [r["Nøgletal"] for r in rows] == ["Albertslunds nøgletal"]
    assert rows[0]["År"] == ""


def test_kkr_may_not_export_indicators(login, kkr, indicators):
    assert login(kkr).get(EXPORT).status_code == 403


def test_the_list_filters_and_links_to_the_export(login, coordinator, indicators, school):
    html = (
        login(coordinator)
        .get(reverse("kpis:indicator_list"), {"department": school.pk})
        .content.decode()
    )
    assert "Skolens nøgletal" in html and "Velkomst" not in html
    assert f"{EXPORT}?department={school.pk}&amp;format=xlsx" in html


def test_export_queries_do_not_grow_with_the_rows(
    login, coordinator, indicators, municipality, django_assert_num_queries
):
    client = login(coordinator)
    client.get(EXPORT, {"format": "xlsx"})
    # session, user, count, indicators, goals, measurements, audit, session save, savepoints
    with django_assert_num_queries(12):
        client.get(EXPORT, {"format": "xlsx"})
    for n in range(5):
        extra = Indicator.objects.create(municipality=municipality, name=f"Ekstra {n}")
        extra.goals.set(indicators["common"].goals.all())
        Measurement.objects.create(municipality=municipality, indicator=extra, period=2024, value=n)
    with django_assert_num_queries(12):
        client.get(EXPORT, {"format": "xlsx"})


def test_a_leader_finds_the_strategys_indicator_export_on_the_strategy_page(
    login, leader, indicators
):
    client = login(leader)
    strategy = indicators["strategy"]
    html = client.get(reverse("strategy:strategy_detail", args=[strategy.pk])).content.decode()
    assert f"{EXPORT}?strategy={strategy.pk}&amp;format=csv" in html
    rows = read_csv(client.get(EXPORT, {"format": "csv", "strategy": strategy.pk}).content)
    assert {r["Nøgletal"] for r in rows} == {"'=Velkomst"}
