"""The KKR comparison by theme: goals and initiatives per theme and municipality (strategy in
force), the theme's KPIs per year under the KKR rule, the unmapped note, the programme
filter on every column (supervisors too), the export and a constant number of queries."""

import csv
import datetime
import io
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from apps.core.models import AuditEntry
from apps.core.roles import Role
from apps.kpis.models import Indicator, Measurement
from apps.kpis.services import measurements_recompute
from apps.strategy.choices import GoalStatus, InitiativeStatus
from apps.strategy.models import KkrTheme
from apps.supervisors.models import QualificationLevel
from apps.trainees.models import Placement
from tests.factories import (
    DepartmentFactory,
    FocusAreaFactory,
    GoalFactory,
    InitiativeFactory,
    MunicipalityFactory,
    StrategyFactory,
    SupervisorFactory,
    TraineeFactory,
    UserFactory,
    WorkplaceFactory,
    programme,
)

pytestmark = pytest.mark.django_db

PAGE = reverse("dashboards:kkr_overview")
EXPORT = reverse("dashboards:kkr_export")


def themes():
    return list(KkrTheme.objects.order_by("order"))


def mapped_strategy(municipality, theme, *, goals=(), initiatives=(), status="adopted"):
    strategy = StrategyFactory(
        municipality=municipality, status=status, adopted_on=datetime.date(2024, 1, 1)
    )
    area = FocusAreaFactory(strategy=strategy, kkr_theme=theme)
    made = [GoalFactory(focus_area=area, status=s) for s in goals]
    for s in initiatives:
        InitiativeFactory(strategy=strategy, focus_area=area, status=s)
    return strategy, area, made


@pytest.fixture
def plans(fred):
    first, second = themes()[:2]
    # An archived older version with the same theme counts for nothing.
    mapped_strategy(fred.municipality, first, goals=[GoalStatus.ACHIEVED] * 3, status="archived")
    strategy, area, goals = mapped_strategy(
        fred.municipality,
        first,
        goals=[GoalStatus.BEHIND, GoalStatus.BEHIND, GoalStatus.ON_TRACK],
        initiatives=[InitiativeStatus.IMPLEMENTED],
    )
    GoalFactory(focus_area=FocusAreaFactory(strategy=strategy), text="Uden tema")
    # Without a focus area, an initiative belongs to the theme of the goals it serves.
    InitiativeFactory(strategy=strategy, status=InitiativeStatus.IN_PROGRESS, goals=goals[1:])
    second_area = FocusAreaFactory(strategy=strategy, kkr_theme=second)
    InitiativeFactory(strategy=strategy, focus_area=second_area, status=InitiativeStatus.PLANNED)
    welcome = Indicator.objects.create(municipality=fred.municipality, name="Velkomst")
    welcome.goals.set([goals[0]])
    for period, num, den in ((2022, 3, 20), (2023, 12, 20)):
        Measurement.objects.create(
            municipality=fred.municipality,
            indicator=welcome,
            period=period,
            numerator=num,
            denominator=den,
            value=Decimal(num * 100) / den,
        )
    ssa_only = Indicator.objects.create(
        municipality=fred.municipality,
        name="Frafald SSA",
        focus_area=area,
        programme=programme("SSA"),
    )
    Measurement.objects.create(
        municipality=fred.municipality, indicator=ssa_only, period=2023, value=Decimal("38")
    )
    # A newer draft does not replace the adopted version in force.
    mapped_strategy(fred.municipality, first, goals=[GoalStatus.ACHIEVED] * 5, status="draft")
    albertslund = MunicipalityFactory(code=165, name="Albertslund")
    StrategyFactory(municipality=albertslund)  # focus areas not mapped to any theme
    return {"first": first, "second": second, "albertslund": albertslund}


def theme_cells(response, theme):
    comparison = next(t for t in response.context["overview"].themes.themes if t.theme == theme)
    return {c.municipality.name: c for c in comparison.cells}


def test_each_theme_counts_the_goals_and_initiatives_of_the_strategy_in_force(
    login, fred_kkr, plans
):
    response = login(fred_kkr).get(PAGE, {"year": 2023})
    first = theme_cells(response, plans["first"])["Frederikssund"]
    assert first.goal_count == 3
    assert first.goals == [("På sporet", 1), ("Bagud", 2)]
    assert first.initiatives == [("På vej", 1), ("Implementeret", 1)]
    second = theme_cells(response, plans["second"])["Frederikssund"]
    assert (second.goal_count, second.initiatives) == (0, [("Planlagt", 1)])
    html = response.content.decode()
    assert "Sammenligning efter KKR-tema" in html
    assert plans["first"].name in html


def test_a_municipality_without_mapped_focus_areas_is_listed_as_such(login, fred_kkr, plans):
    response = login(fred_kkr).get(PAGE, {"year": 2023})
    overview = response.context["overview"].themes
    assert [m.name for m in overview.unmapped] == ["Albertslund"]
    assert "Albertslund" not in theme_cells(response, plans["first"])
    assert (
        "<strong>Albertslund</strong>: Har ikke knyttet indsatsområder til KKR-temaer"
        in response.content.decode()
    )


def test_the_themes_kpis_show_a_trend_with_small_numbers_hidden_for_kkr(login, fred_kkr, plans):
    response = login(fred_kkr).get(PAGE, {"year": 2023})
    overview = response.context["overview"].themes
    assert overview.years[-2:] == [2022, 2023]
    kpis = {k.name: k for k in theme_cells(response, plans["first"])["Frederikssund"].kpis}
    welcome = kpis["Velkomst"]
    # 3 of 20 rests on under 5 persons: hidden; 12 of 20 reads as 10 of 20 for KKR.
    assert welcome.texts[-2:] == ["< 5", "50\xa0%"]
    assert welcome.results[-1].rounded
    assert kpis["Frafald SSA"].texts[-1] == "38\xa0%"
    chart = next(t for t in overview.themes if t.theme == plans["first"]).chart
    dataset = next(d for d in chart.datasets if d["label"] == "Frederikssund: Velkomst")
    assert dataset["data"][-2:] == [None, 50.0]
    assert len(chart.labels) - 2 in dataset["suppressed"]
    assert chart.config["id"] in [c["id"] for c in response.context["overview"].chart_configs]


def test_the_programme_filter_leaves_out_another_programmes_kpis(login, fred_kkr, plans):
    response = login(fred_kkr).get(PAGE, {"year": 2023, "programme": "SSH"})
    names = [k.name for k in theme_cells(response, plans["first"])["Frederikssund"].kpis]
    assert names == ["Velkomst"]


@pytest.fixture
def supervised(db):
    """Two workplaces on 1 March 2024: five SSA trainees where five supervisors are trained,
    five SSH trainees where five are not."""
    town = MunicipalityFactory(code=230, name="Rudersdal")
    department = DepartmentFactory(municipality=town)
    amu = QualificationLevel.objects.get(code="amu")
    for code, qualification in (("SSA", amu), ("SSH", None)):
        workplace = WorkplaceFactory(department=department, name=f"Sted {code}")
        for i in range(5):
            SupervisorFactory(workplace=workplace, qualification=qualification)
            trainee = TraineeFactory(
                department=department, hr_id=f"{code}{i}", programme=programme(code)
            )
            Placement.objects.create(
                municipality=town,
                trainee=trainee,
                period_number=1,
                kind="training",
                workplace=workplace,
                start_date=datetime.date(2024, 1, 1),
                end_date=datetime.date(2024, 6, 30),
            )
    measurements_recompute(municipality_id=town.pk, as_of=datetime.date(2024, 3, 1))
    return town


@pytest.mark.parametrize(("programme_code", "share"), [("", 50.0), ("SSA", 100.0), ("SSH", 0.0)])
def test_the_programme_filter_applies_to_the_supervisor_column(
    login, supervised, programme_code, share
):
    analyst = UserFactory(username="kaj", role=Role.KKR_ANALYST, municipality=supervised)
    response = login(analyst).get(PAGE, {"programme": programme_code})
    row = next(r for r in response.context["overview"].rows if r["municipality"] == supervised)
    assert row["supervisors"].value == share


def test_the_export_holds_the_comparison_under_the_kkr_rule_and_is_logged(login, fred_kkr, plans):
    response = login(fred_kkr).get(EXPORT, {"year": 2023, "format": "csv"})
    assert response["Content-Disposition"].endswith('.csv"')
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0] == [
        "KKR-tema",
        "Kommune",
        "Art",
        "Status eller nøgletal",
        "År",
        "Værdi",
        "Enhed",
    ]
    first = plans["first"].name
    assert [first, "Frederikssund", "Målsætninger", "Bagud", "", "2", "antal"] in rows
    assert [first, "Frederikssund", "Indsatser", "Implementeret", "", "1", "antal"] in rows
    assert [first, "Frederikssund", "Nøgletal", "Velkomst", "2022", "< 5", "procent"] in rows
    assert [first, "Frederikssund", "Nøgletal", "Velkomst", "2023", "50", "procent"] in rows
    # A year without a measurement is no row.
    assert not [r for r in rows if r[3] == "Frafald SSA" and r[4] == "2022"]
    started = ["", "Frederikssund", "Nøgletal pr. kommune", "Startede elever", "2023", "100"]
    assert [*started, "antal"] in rows
    unmapped = ["", "Albertslund", "Har ikke knyttet indsatsområder til KKR-temaer"]
    assert [*unmapped, "", "", "", ""] in rows
    entry = AuditEntry.objects.get(action="export")
    assert entry.context["list"] == "dashboards.kkr"
    assert entry.context["criteria"] == {"year": "2023"}
    assert entry.context["rows"] == len(rows) - 1


def test_only_kkr_roles_may_export_the_comparison(login, fred_coordinator, fred_leader, plans):
    assert login(fred_coordinator).get(EXPORT).status_code == 403
    assert login(fred_leader).get(EXPORT).status_code == 403


def test_the_queries_do_not_grow_with_municipalities_themes_or_goals(login, fred_kkr, plans):
    client = login(fred_kkr)
    client.get(PAGE)
    with CaptureQueriesContext(connection) as small:
        assert client.get(PAGE).status_code == 200
    for n, theme in enumerate(themes()):
        town = MunicipalityFactory(code=300 + n, name=f"Kommune {n}")
        _s, _a, goals = mapped_strategy(
            town, theme, goals=[GoalStatus.BEHIND] * 3, initiatives=[InitiativeStatus.PLANNED]
        )
        indicator = Indicator.objects.create(municipality=town, name=f"Nøgletal {n}")
        indicator.goals.set(goals)
        Measurement.objects.create(municipality=town, indicator=indicator, period=2023, value=1)
    with CaptureQueriesContext(connection) as large:
        assert client.get(PAGE).status_code == 200
    assert len(large) == len(small)
