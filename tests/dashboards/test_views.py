"""Dashboard pages: who may open them, what they show, and what they hide."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from apps.kpis.choices import Metric, TargetKind, Unit
from apps.kpis.models import Indicator
from apps.kpis.services import measurements_recompute
from apps.trainees.models import Trainee
from tests.factories import DepartmentFactory, MunicipalityFactory, TraineeFactory

pytestmark = pytest.mark.django_db


def dept_url(department, **params):
    query = "&".join(f"{k}={v}" for k, v in params.items())
    return reverse("dashboards:department", args=[department.pk]) + (f"?{query}" if query else "")


def test_anonymous_users_are_sent_to_login(client, fred):
    response = client.get(dept_url(fred.dogn))
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


def test_a_leader_opens_their_own_department_dashboard(login, fred, fred_leader):
    response = login(fred_leader).get(reverse("dashboards:department_default"))
    assert response.status_code == 302
    assert response["Location"] == dept_url(fred.dogn)
    page = login(fred_leader).get(dept_url(fred.dogn, year=2023)).content.decode()
    for label in (
        "Optag i forhold til dimensionering",
        "Frafald",
        "Ansat efter endt uddannelse",
        "Vejlederdækning",
        "Sygefravær",
    ):
        assert label in page


def test_another_department_is_not_found_for_a_leader(login, fred, fred_leader):
    assert login(fred_leader).get(dept_url(fred.omsorg)).status_code == 404


def test_a_coordinator_opens_any_department_and_the_overview(login, fred, fred_coordinator):
    client = login(fred_coordinator)
    assert client.get(dept_url(fred.omsorg)).status_code == 200
    page = client.get(reverse("dashboards:municipality_overview") + "?year=2023")
    assert page.status_code == 200
    assert "Omsorgscentre og daghjem" in page.content.decode()


def test_a_kkr_analyst_gets_the_comparison_but_no_department_page(login, fred, fred_kkr):
    client = login(fred_kkr)
    assert client.get(dept_url(fred.dogn)).status_code == 403
    assert client.get(reverse("dashboards:municipality_overview")).status_code == 403
    page = client.get(reverse("dashboards:kkr_overview") + "?year=2023")
    assert page.status_code == 200
    assert "Frederikssund" in page.content.decode()


def test_a_leader_cannot_open_the_kkr_comparison(login, fred, fred_leader):
    assert login(fred_leader).get(reverse("dashboards:kkr_overview")).status_code == 403


def test_the_overview_shows_the_documents_figures(login, fred, fred_coordinator):
    page = login(fred_coordinator).get(
        reverse("dashboards:municipality_overview") + "?year=2023&programme=SSA"
    )
    html = page.content.decode()
    dash = page.context["dash"]
    tiles = {t.metric: t for t in dash.tiles}
    assert tiles["dropout_rate"].value_text == "40,0\xa0%"
    assert tiles["hired_after_completion_rate"].value_text == "55,6\xa0%"
    assert tiles["intake_vs_quota"].detail == "60 af 56"
    assert "40,0\xa0%" in html


def test_charts_have_captions_text_alternatives_and_table_toggles(login, fred, fred_coordinator):
    html = login(fred_coordinator).get(dept_url(fred.dogn, year=2023)).content.decode()
    figures = re.findall(r"<figure.*?</figure>", html, flags=re.S)
    assert len(figures) >= 6
    for figure in figures:
        assert "<figcaption" in figure
        assert re.search(r'<canvas[^>]+role="img"[^>]+aria-label="[^"]+"', figure)
        assert re.search(r'<button[^>]+aria-expanded="false"[^>]+aria-controls="', figure)
        assert "Vis tabel" in figure
        assert "<caption>" in figure
    assert '<label class="form-label" for="filter-programme">Uddannelse</label>' in html
    assert '<label class="form-label" for="filter-year">År</label>' in html


def test_no_inline_script_or_style_on_the_page(login, fred, fred_coordinator):
    html = login(fred_coordinator).get(dept_url(fred.dogn, year=2023)).content.decode()
    for tag in re.findall(r"<script[^>]*>", html):
        assert "src=" in tag or 'type="application/json"' in tag
    assert "style=" not in html
    assert not re.search(r"\son[a-z]+=", html)
    assert 'id="dashboard-charts" type="application/json"' in html


def test_small_numbers_are_hidden_from_leaders_but_not_coordinators(
    login, fred, fred_leader, fred_coordinator
):
    leader_page = login(fred_leader).get(dept_url(fred.dogn, year=2023, programme="SSH"))
    reasons = next(c for c in leader_page.context["dash"].charts if c.id == "chart-dropout-reason")
    # Døgnplejen has three of the nine SSH dropouts of 2023: every cell is under 5.
    assert all(v is None for v in reasons.datasets[0]["data"])
    assert "&lt; 5" in leader_page.content.decode()
    coordinator_page = login(fred_coordinator).get(dept_url(fred.dogn, year=2023, programme="SSH"))
    reasons = next(
        c for c in coordinator_page.context["dash"].charts if c.id == "chart-dropout-reason"
    )
    assert sum(reasons.datasets[0]["data"]) == 3


def test_numbers_link_to_the_trainees_behind_them(login, fred, fred_coordinator):
    base = reverse("trainees:trainee_list")
    html = login(fred_coordinator).get(dept_url(fred.dogn, year=2023)).content.decode()
    assert f'href="{base}?department={fred.dogn.pk}&amp;start_year=2023"' in html


@pytest.mark.parametrize("page", ["department", "overview", "kkr"])
def test_the_number_of_queries_does_not_grow_with_the_data(
    login, fred, fred_coordinator, fred_kkr, page
):
    user, url = {
        "department": (fred_coordinator, dept_url(fred.dogn, year=2023)),
        "overview": (fred_coordinator, reverse("dashboards:municipality_overview")),
        "kkr": (fred_kkr, reverse("dashboards:kkr_overview")),
    }[page]
    client = login(user)
    client.get(url)  # warm caches (session, content types)
    with CaptureQueriesContext(connection) as small:
        assert client.get(url).status_code == 200
    extra = sum(copy_trainees(fred) for _ in range(4))
    measurements_recompute(municipality_id=fred.municipality.pk)
    with CaptureQueriesContext(connection) as large:
        assert client.get(url).status_code == 200
    assert extra > 0
    assert len(large) == len(small)


def copy_trainees(fred) -> int:
    """200 more trainees in the same departments (new HR ids)."""
    before = Trainee.objects.filter(municipality=fred.municipality).count()
    rows = list(Trainee.objects.filter(municipality=fred.municipality)[:200])
    for i, t in enumerate(rows):
        t.pk = None
        t.hr_id = f"X{before + i}"
    Trainee.objects.bulk_create(rows)
    return len(rows)


def test_a_leader_sees_the_municipalitys_goal_indicators_with_baseline_and_target(
    login, fred, fred_leader
):
    Indicator.objects.create(
        municipality=fred.municipality,
        name="Frafald SSA",
        unit=Unit.PERCENT,
        direction="lower",
        baseline_value=40,
        baseline_period=2023,
        target_value=-7,
        target_period=2026,
        target_kind=TargetKind.RELATIVE,
        metric=Metric.DROPOUT_RATE,
        programme=fred.ssa,
    )
    measurements_recompute(municipality_id=fred.municipality.pk, as_of=datetime.date(2023, 12, 31))
    response = login(fred_leader).get(dept_url(fred.dogn, year=2023, programme="SSA"))
    goal_tile = next(t for t in response.context["dash"].goal_tiles if t.label == "Frafald SSA")
    assert goal_tile.value_text == "40,0\xa0%"
    assert goal_tile.baseline == "40,0\xa0% (2023)" and goal_tile.target == "37,2\xa0% (2026)"
    assert goal_tile.judgement.status_label == "På sporet"
    kpi_tile = next(t for t in response.context["dash"].tiles if t.metric == "dropout_rate")
    assert kpi_tile.indicator is not None  # the SSA filter matches the SSA goal
    chart = next(c for c in response.context["dash"].charts if c.title == "Udvikling: Frafald SSA")
    assert {d["label"] for d in chart.datasets} == {"Målt", "Baseline", "Vej til mål"}


def test_health_reasons_link_to_persons_only_for_roles_that_see_health(
    login, fred, fred_coordinator
):
    url = reverse("dashboards:municipality_overview") + "?year=2023&programme=SSA"
    html = login(fred_coordinator).get(url).content.decode()
    assert "dropout_reason=illness" in html


def test_the_kkr_comparison_hides_small_municipalities_figures(login, fred, fred_kkr):
    tiny = MunicipalityFactory(code=165, name="Albertslund")
    department = DepartmentFactory(municipality=tiny)
    for i in range(3):
        TraineeFactory(department=department, hr_id=f"T{i}", start_date=datetime.date(2023, 2, 1))
    measurements_recompute(municipality_id=tiny.pk, as_of=datetime.date(2023, 12, 31))
    response = login(fred_kkr).get(reverse("dashboards:kkr_overview") + "?year=2023")
    rows = {r["municipality"].name: r for r in response.context["overview"].rows}
    assert rows["Albertslund"]["started"].suppressed
    assert rows["Frederikssund"]["started"].value == 98
    assert "&lt; 5" in response.content.decode()
