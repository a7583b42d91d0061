"""Dashboard pages: who may open them, what they show, and what they hide."""

import datetime
import json
import re
from types import SimpleNamespace

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from apps.dashboards import selectors
from apps.kpis.choices import Metric, TargetKind, Unit
from apps.kpis.models import Indicator
from apps.kpis.registry import default_year
from apps.kpis.services import measurements_recompute
from apps.trainees.choices import TraineeStatus
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
    assert tiles["dropout_rate"].value_text == "40\xa0%"  # a whole number without decimals
    assert tiles["hired_after_completion_rate"].value_text == "55,6\xa0%"
    assert tiles["intake_vs_quota"].detail == "60 af 56"
    assert "40\xa0%" in html


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


def test_a_leader_sees_their_own_departments_counts_exactly_but_not_its_dropout_reasons(
    login, fred, fred_leader, fred_coordinator
):
    url = dept_url(fred.dogn, year=2023, programme="SSH")
    leader = {c.id: c for c in login(fred_leader).get(url).context["dash"].charts}
    coordinator = {c.id: c for c in login(fred_coordinator).get(url).context["dash"].charts}
    # Døgnplejen has three of the nine SSH dropouts of 2023. The leader sees these persons
    # anyway: when they dropped out is shown exactly, as to the coordinator.
    phases = leader["chart-dropout-phase"]
    assert "suppressed" not in phases.datasets[0] and not phases.withheld
    assert sum(v for v in phases.datasets[0]["data"] if v) == 3
    assert phases.datasets == coordinator["chart-dropout-phase"].datasets
    for chart_id in ("chart-funnel", "chart-intake", "chart-supervisors", "chart-sick"):
        assert not leader[chart_id].has_hidden, chart_id
        assert leader[chart_id].datasets == coordinator[chart_id].datasets, chart_id
    # Reasons can be health data a leader may not see per person: 1–4 stays hidden.
    reasons = leader["chart-dropout-reason"]
    assert all(v is None for v in reasons.datasets[0]["data"]) and reasons.withheld
    assert sum(coordinator["chart-dropout-reason"].datasets[0]["data"]) == 3


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
    cache.clear()  # count the department page's fragments computed, not served from the cache
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
    # A municipality-wide figure is not the leader's own department's: 18 of 45 is shown
    # rounded to base 5, and the value and the judgement are computed from what is shown.
    assert goal_tile.value_text == "44,4\xa0%"
    assert goal_tile.detail == "20 af 45 (afrundet)"
    assert (
        goal_tile.baseline == "40\xa0% (2023)"
        and goal_tile.target == "37,2\xa0% i 2026 (\u22127\xa0% fra baseline)"
    )
    assert goal_tile.judgement.status_label == "Bagud"  # 44.4 % against the 40.0 % expected
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
    # Counts are rounded to base 5 for an aggregates-only role: 3 reads as 5, 98 as 100.
    assert rows["Albertslund"]["started"].value == 5
    assert rows["Frederikssund"]["started"].value == 100
    assert "Antal personer er afrundet til nærmeste 5" in response.content.decode()


# --- front-end review: names, hidden values, default year, cohorts --------------------------


def _text(html: str) -> str:
    """What a screen reader reads from an HTML fragment: tags dropped, whitespace collapsed."""
    return " ".join(re.sub(r"<[^>]+>", "", html).replace("\xa0", " ").split())


def test_a_tiles_link_is_named_by_what_the_number_is_and_where_it_leads(login, fred, fred_leader):
    html = login(fred_leader).get(dept_url(fred.dogn, year=2023, programme="SSH")).content.decode()
    links = re.findall(r'<p class="kpi-value"><a href="[^"]+"[^>]*>(.*?)</a></p>', html, flags=re.S)
    names = [_text(link) for link in links]
    assert "Optag i forhold til dimensionering: 34,2 % – se eleverne" in names
    # The visible text is still the number alone; the purpose is not hidden in a title.
    assert (
        '<span class="visually-hidden">Optag i forhold til dimensionering: </span>34,2\xa0%' in html
    )
    assert "Se eleverne bag tallet" not in html
    assert not re.search(r'<p class="kpi-value"><a [^>]*title=', html)


def _charts_json(html: str) -> dict:
    raw = re.search(r'<script id="dashboard-charts" type="application/json">(.*?)</script>', html)
    return {c["id"]: c for c in json.loads(raw.group(1))}


def test_a_chart_whose_every_value_is_hidden_says_so_in_words_instead_of_an_empty_axis(
    login, fred, fred_leader, fred_coordinator
):
    url = dept_url(fred.dogn, year=2023, programme="SSH")
    html = login(fred_leader).get(url).content.decode()
    reasons = _charts_json(html)["chart-dropout-reason"]
    data = reasons["datasets"][0]["data"]
    # Dropout reasons stay hidden 1–4 for a leader (health data); every reason is under 5
    # here: null (no bar at zero), listed as hidden, and the chart is withheld as a whole.
    assert data and all(v is None for v in data)
    assert reasons["datasets"][0]["suppressed"] == list(range(len(data)))
    assert reasons["withheld"] is True
    figure = re.search(
        r'<figure[^>]*>(?:(?!</figure>).)*chart-dropout-reason-table".*?</figure>', html, re.S
    ).group(0)
    text = "For få personer til at vise fordelingen."
    assert f'<p class="chart-withheld" id="chart-dropout-reason-note">{text}</p>' in figure
    assert "<canvas" not in figure  # no empty axis from 0 to 1
    # The data table stays, cell by cell consistent with the text, and refers to it.
    assert 'aria-describedby="chart-dropout-reason-note"' in figure
    assert "<td>&lt; 5</td>" in figure
    # Coordinators see every value: nothing hidden, the chart is drawn.
    html = login(fred_coordinator).get(url).content.decode()
    reasons = _charts_json(html)["chart-dropout-reason"]
    assert "suppressed" not in reasons["datasets"][0] and reasons["withheld"] is False
    assert 'id="chart-dropout-reason-note"' not in html
    assert '<canvas id="chart-dropout-reason"' in html


def test_the_kkr_chart_leaves_a_small_municipality_out_and_says_so(login, fred, fred_kkr):
    tiny = MunicipalityFactory(code=165, name="Albertslund")
    department = DepartmentFactory(municipality=tiny)
    for i in range(3):  # a finished 2020 cohort of three: every rate rests on under 5
        TraineeFactory(
            department=department,
            hr_id=f"T{i}",
            start_date=datetime.date(2020, 2, 1),
            status=TraineeStatus.COMPLETED,
            end_date=datetime.date(2022, 1, 31),
            hired_after=i > 0,
        )
    measurements_recompute(municipality_id=tiny.pk, as_of=datetime.date(2023, 12, 31))
    response = login(fred_kkr).get(reverse("dashboards:kkr_overview") + "?year=2023")
    chart = response.context["overview"].chart
    index = chart.labels.index("Albertslund")
    for dataset in chart.datasets:
        assert dataset["data"][index] is None
        assert index in dataset["suppressed"]
    row = next(r for r in chart.rows if r[0]["text"] == "Albertslund")
    assert [c["text"] for c in row[1:]] == ["< 5", "< 5"]
    assert "Albertslund: < 5, < 5" in chart.description
    assert "Værdier for færre end 5 personer vises ikke." in response.content.decode()


def test_every_dashboard_defaults_to_the_same_year_and_says_which(
    login, fred, fred_coordinator, fred_kkr, monkeypatch
):
    # Mid-2023: 2023 is still running, so 2022 is the latest finished year on every page.
    monkeypatch.setattr(
        selectors, "timezone", SimpleNamespace(localdate=lambda: datetime.date(2023, 6, 1))
    )
    department = login(fred_coordinator).get(dept_url(fred.dogn))
    overview = login(fred_coordinator).get(reverse("dashboards:municipality_overview"))
    kkr = login(fred_kkr).get(reverse("dashboards:kkr_overview"))
    years = {
        department.context["dash"].year,
        overview.context["dash"].year,
        kkr.context["overview"].year,
    }
    assert years == {2022}
    for response in (department, overview, kkr):
        html = response.content.decode()
        assert '<option value="2022" selected>' in html
        assert 'aria-describedby="filter-year-help"' in html
        assert "Uden valg vises seneste hele år med data: 2022." in html


def test_the_default_year_is_the_latest_finished_year_with_data():
    today = datetime.date(2026, 11, 22)
    assert default_year([2022, 2023, 2024, 2025, 2026], today) == 2025
    assert default_year([2022, 2023], today) == 2023
    assert default_year([2026], today) == 2026


def test_the_cohort_tiles_name_the_cohorts_briefly_and_list_them_in_details(
    login, fred, fred_coordinator
):
    client = login(fred_coordinator)
    response = client.get(reverse("dashboards:municipality_overview") + "?year=2023")
    tiles = {t.metric: t for t in response.context["dash"].tiles}
    dropout = tiles["dropout_rate"]
    assert len(dropout.cohorts) > 1
    # Which start years the pooled cohorts have, so the period is never left unsaid.
    assert re.fullmatch(
        rf"Seneste afsluttede årgange, startår 20\d\d(–20\d\d)? "
        rf"\({len(dropout.cohorts)} uddannelser\)",
        dropout.period_label,
    )
    html = response.content.decode()
    assert "Årgange:" not in html
    details = re.findall(r'<details class="kpi-cohorts">(.*?)</details>', html, flags=re.S)
    assert len(details) == 2  # dropout and hired after completion
    assert "<summary>Vis årgangene" in details[0]
    assert all(f"<li>{c}</li>" in details[0] for c in dropout.cohorts)
    # One programme: one cohort, named in the tile itself, no list to open.
    response = client.get(reverse("dashboards:municipality_overview") + "?year=2023&programme=SSA")
    dropout = next(t for t in response.context["dash"].tiles if t.metric == "dropout_rate")
    assert re.fullmatch(r"Årgang Social- og sundhedsassistent \d{4}", dropout.period_label)
    assert '<details class="kpi-cohorts">' not in response.content.decode()
