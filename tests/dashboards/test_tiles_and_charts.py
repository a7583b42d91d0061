"""What a tile and a chart say: the period, what the number means, the target without a
distance once reached, units on every level, names (not codes) in charts, straight lines."""

import datetime
import json
import re
from decimal import Decimal
from pathlib import Path

import pytest
from django.urls import reverse

from apps.kpis.choices import MeasurementSource, Metric, TargetKind, Unit
from apps.kpis.models import Indicator, Measurement
from apps.kpis.services import measurements_recompute
from apps.trainees.models import Programme

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]


def overview(client, **params):
    query = "&".join(f"{k}={v}" for k, v in params.items())
    return client.get(reverse("dashboards:municipality_overview") + f"?{query}")


def dept_url(department, **params):
    query = "&".join(f"{k}={v}" for k, v in params.items())
    return reverse("dashboards:department", args=[department.pk]) + f"?{query}"


def tile_html(html: str, label: str) -> str:
    """The <article> of the tile headed `label`."""
    for article in re.findall(r"<article class=\"kpi-tile.*?</article>", html, flags=re.S):
        if re.search(rf'<h3 class="kpi-label" id="[^"]+">{re.escape(label)}</h3>', article):
            return article
    raise AssertionError(f"no tile {label!r}")


def charts_json(html: str) -> dict:
    raw = re.search(r'<script id="dashboard-charts" type="application/json">(.*?)</script>', html)
    return {c["id"]: c for c in json.loads(raw.group(1))}


# --- tiles ---------------------------------------------------------------------------------


def test_every_tile_says_its_period_and_what_its_number_means(login, fred, fred_coordinator):
    response = login(fred_coordinator).get(dept_url(fred.dogn, year=2023))
    html = response.content.decode()
    tiles = response.context["dash"].tiles
    assert len(tiles) >= 7
    for tile in tiles:
        assert tile.period_label and tile.help, tile.label
        article = tile_html(html, tile.label)
        described = re.match(r'<article [^>]*aria-describedby="([^"]+)"', article).group(1)
        period_id, help_id = described.split()
        assert f'<p class="kpi-period" id="{period_id}">{tile.period_label}' in article
        # The help text sits in a <details> (keyboard: its summary), referenced by the tile.
        assert re.search(
            rf'<details class="kpi-help">\s*<summary>Hvad viser tallet\?.*?'
            rf'<p id="{help_id}">{re.escape(tile.help)}</p>',
            article,
            flags=re.S,
        )
    # The hired-after-completion rate says what it is counted against, unlike the hire rate.
    hired = next(t for t in tiles if t.metric == Metric.HIRED_AFTER_COMPLETION_RATE)
    assert "gennemførte" in hired.help and "ikke alle, der startede" in hired.help
    periods = {t.metric: t.period_label for t in tiles}
    assert periods[Metric.SICK_ABSENCE_RATE] == "Kalenderåret 2023"
    assert periods[Metric.INTERNAL_RECRUITMENT_RATE] == "Startår 2023"


def test_a_supervisor_tile_from_another_year_than_the_chosen_says_why(
    login, fred, fred_coordinator
):
    dash = overview(login(fred_coordinator), year=2022).context["dash"]
    assert dash.year == 2022
    supervisors = next(t for t in dash.tiles if t.metric == Metric.TRAINED_SUPERVISOR_SHARE)
    # Supervisors are counted as they stand on the last recomputation, not per year.
    assert re.fullmatch(
        r"Seneste opgørelse: 20\d\d \(vejledere opgøres som status, ikke pr\. år\)",
        supervisors.period_label,
    )
    assert "2022" not in supervisors.period_label


def _dropout_indicator(fred, **fields):
    defaults = {
        "municipality": fred.municipality,
        "name": "Frafald SSA",
        "unit": Unit.PERCENT,
        "direction": "lower",
        "baseline_value": Decimal("45"),
        "baseline_period": 2021,
        "target_value": Decimal("50"),
        "target_period": 2026,
        "target_kind": TargetKind.ABSOLUTE,
        "metric": Metric.DROPOUT_RATE,
        "programme": fred.ssa,
    }
    indicator = Indicator.objects.create(**{**defaults, **fields})
    measurements_recompute(municipality_id=fred.municipality.pk, as_of=datetime.date(2023, 12, 31))
    return indicator


def test_a_reached_target_shows_no_remaining_distance(login, fred, fred_coordinator):
    _dropout_indicator(fred)  # 40 % dropout against a target of at most 50 %: reached
    response = overview(login(fred_coordinator), year=2023, programme="SSA")
    tile = next(t for t in response.context["dash"].goal_tiles if t.label == "Frafald SSA")
    assert tile.value_text == "40\xa0%"
    assert tile.judgement.status_label == "Nået"
    assert tile.distance_text == ""
    article = tile_html(response.content.decode(), "Frafald SSA")
    assert "Afstand til mål" not in article
    assert '<span class="status-badge status-good">Nået</span>' in article


def test_a_target_not_reached_says_the_distance_in_plain_words(login, fred, fred_coordinator):
    _dropout_indicator(fred, target_value=Decimal("32.1"))  # 40 % against at most 32,1 %
    response = overview(login(fred_coordinator), year=2023, programme="SSA")
    tile = next(t for t in response.context["dash"].goal_tiles if t.label == "Frafald SSA")
    assert tile.distance_text == "7,9 procentpoint over målet"
    article = tile_html(response.content.decode(), "Frafald SSA")
    assert "<dt>Afstand til mål</dt><dd>7,9 procentpoint over målet</dd>" in article
    assert "(" not in tile.distance_text  # no unexplained relative figure


def _manual_indicator(fred, periods, **fields):
    indicator = Indicator.objects.create(
        municipality=fred.municipality,
        name="Elever, der vil anbefale uddannelsen",
        unit=Unit.PERCENT,
        baseline_value=Decimal("16.00"),
        baseline_period=2021,
        **fields,
    )
    for period, value in periods.items():
        Measurement.objects.create(
            municipality=fred.municipality,
            indicator=indicator,
            period=period,
            value=Decimal(value),
            source=MeasurementSource.MANUAL,
        )
    return indicator


def test_a_manual_indicator_with_a_value_never_says_no_data(login, fred, fred_coordinator):
    _manual_indicator(fred, {2023: "80.00"})  # a survey answer, no target
    response = overview(login(fred_coordinator), year=2023)
    tile = next(t for t in response.context["dash"].goal_tiles if t.label.startswith("Elever,"))
    assert tile.value_text == "80\xa0%"
    assert tile.baseline == "16\xa0% (2021)"  # the unit always, a whole number plainly
    assert not tile.status_shown
    assert "indtastet af kommunen" in tile.help
    article = tile_html(response.content.decode(), tile.label)
    assert "Ingen data" not in article
    assert "<dt>Baseline</dt><dd>16\xa0% (2021)</dd>" in article
    assert tile.period_label == "Måling for 2023"


def test_a_goal_tile_without_a_measurement_for_the_chosen_year_names_the_year_it_shows(
    login, fred, fred_coordinator
):
    _manual_indicator(fred, {2020: "70", 2022: "75.5"})
    response = overview(login(fred_coordinator), year=2023)
    tile = next(t for t in response.context["dash"].goal_tiles if t.label.startswith("Elever,"))
    assert tile.value_text == "75,5\xa0%"
    assert tile.period_label == "Seneste måling: 2022 (ingen måling for 2023)"
    response = overview(login(fred_coordinator), year=2022)
    tile = next(t for t in response.context["dash"].goal_tiles if t.label.startswith("Elever,"))
    assert (tile.value_text, tile.period_label) == ("75,5\xa0%", "Måling for 2022")


def test_a_goal_tile_with_only_later_measurements_names_the_one_it_shows(
    login, fred, fred_coordinator
):
    _manual_indicator(fred, {2023: "60"})
    response = overview(login(fred_coordinator), year=2022)
    assert response.context["dash"].year == 2022
    tile = next(t for t in response.context["dash"].goal_tiles if t.label.startswith("Elever,"))
    assert tile.period_label == "Måling for 2023 (ingen måling for 2022)"


# --- charts --------------------------------------------------------------------------------


def test_charts_name_programmes_and_workplaces_not_codes(login, fred, fred_coordinator):
    html = overview(login(fred_coordinator), year=2023).content.decode()
    charts = charts_json(html)
    codes = set(Programme.objects.values_list("code", flat=True))
    names = dict(Programme.objects.values_list("code", "name"))
    funnel = charts["chart-funnel"]
    assert funnel["labels"]
    for label in funnel["labels"]:
        first = label.rsplit(" ", 1)[0]
        assert first not in codes, label
        assert any(n.startswith(first.rstrip("…")) for n in names.values()), label
    assert all(len(label) <= 24 for label in funnel["labels"])
    assert all(re.search(r" 20\d\d$", label) for label in funnel["labels"])  # year kept
    html = overview(login(fred_coordinator), year=2023, programme="SSA").content.decode()
    assert "Optag og dimensionering – Social- og sundhedsassistent" in html


def test_a_shortened_label_keeps_its_year():
    from apps.dashboards.presentation import short_label

    assert short_label("Ejendomsservicetekniker", " 2021") == "Ejendomsservicetek… 2021"
    assert short_label("Lærer", " 2025") == "Lærer 2025"


def test_every_workplace_bar_is_labelled(login, fred, fred_coordinator):
    charts = charts_json(overview(login(fred_coordinator), year=2023).content.decode())
    assert charts["chart-supervisors"]["allLabels"] is True
    assert charts["chart-funnel"]["allLabels"] is False
    script = (ROOT / "static/js/charts.js").read_text()
    assert "config.allLabels" in script and "autoSkip: false" in script


def test_line_charts_draw_straight_segments_between_years():
    script = (ROOT / "static/js/charts.js").read_text()
    assert re.findall(r"tension\s*[:=]\s*([\d.]+)", script) == ["0"]


@pytest.mark.parametrize("page", ["overview", "kkr"])
def test_the_comparison_tables_say_what_their_columns_mean(
    login, fred, fred_coordinator, fred_kkr, page
):
    user, url = {
        "overview": (fred_coordinator, reverse("dashboards:municipality_overview")),
        "kkr": (fred_kkr, reverse("dashboards:kkr_overview")),
    }[page]
    html = login(user).get(url).content.decode()
    details = re.search(r'<details class="table-help mb-3">(.*?)</details>', html, re.S).group(1)
    assert "<summary>Hvad betyder tallene?</summary>" in details
    assert "<dt>Ansat efter endt uddannelse</dt><dd>Andel af de elever, der gennemførte" in details
    assert "<dt>Sygefravær</dt>" in details


def test_a_withheld_trend_says_so_and_keeps_its_reference_lines_out_of_the_question():
    from apps.dashboards.presentation import Chart, series

    def chart(kind, values, hidden):
        return Chart(
            id="c",
            title="t",
            description="d",
            kind=kind,
            labels=["2023", "2024"],
            datasets=[
                series("Målt", values, hidden),
                {"label": "Baseline", "data": [40.0, 40.0], "role": "baseline"},
            ],
            headers=[],
            rows=[],
        )

    trend = chart("line", [3, 4], [True, True])
    assert trend.withheld and trend.note == "For få personer til at vise udviklingen."
    assert chart("bar", [3, 4], [True, True]).note == "For få personer til at vise fordelingen."
    partly = chart("line", [3, 40], [True, False])
    assert not partly.withheld and partly.note == "Værdier for færre end 5 personer vises ikke."
    assert not chart("line", [None, None], [False, False]).withheld  # no data is not hidden


def test_a_tile_is_judged_against_the_path_in_the_year_it_shows():
    from apps.dashboards.presentation import Tile, attach_target
    from apps.kpis.results import KpiResult

    indicator = Indicator(
        name="Frafald",
        unit=Unit.PERCENT,
        direction="lower",
        baseline_value=Decimal("40"),
        baseline_period=2021,
        target_value=Decimal("30"),
        target_period=2026,
        target_kind=TargetKind.ABSOLUTE,
    )
    # 37 % in 2023: the straight path from 40 % (2021) to 30 % (2026) expects 36 % → behind;
    # judged as if in the baseline year (40 % expected) it would read "on track".
    result = KpiResult(Metric.DROPOUT_RATE, 37, 100)
    tile = attach_target(Tile(Metric.DROPOUT_RATE, "Frafald", result, "2023"), indicator, 2023)
    assert tile.judgement.status_label == "Bagud"
    assert tile.baseline == "40\xa0% (2021)"
    assert tile.distance_text == "7 procentpoint over målet"
