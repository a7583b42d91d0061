"""One default year: without a `year`, the API and every dashboard answer for the same year
with the same figures (`apps.kpis.registry.default_period`)."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from apps.kpis.choices import Metric
from apps.kpis.services import measurements_recompute
from tests.factories import TraineeFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def started_this_year(fred):
    """One trainee who started this year: the latest year up to today is this year, the
    latest finished year with data is still 2023 (the rows end there)."""
    today = timezone.localdate()
    TraineeFactory(
        department=fred.dogn, programme=fred.ssh, start_date=datetime.date(today.year, 1, 5)
    )
    measurements_recompute(municipality_id=fred.municipality.pk, as_of=today)
    assert today.year > 2023
    return fred


def api(client, name, **params):
    query = "&".join(f"{k}={v}" for k, v in params.items())
    response = client.get(reverse("api:metric", args=[name]) + (f"?{query}" if query else ""))
    assert response.status_code == 200, response.content
    return response.json()


def tile(dash, metric):
    return next(t for t in dash.tiles if t.metric == metric)


def test_the_api_and_every_dashboard_default_to_the_same_year_and_figures(
    login, started_this_year, fred_coordinator, fred_kkr
):
    fred = started_this_year
    coordinator = login(fred_coordinator)
    overview = coordinator.get(reverse("dashboards:municipality_overview")).context["dash"]
    department = coordinator.get(reverse("dashboards:department", args=[fred.dogn.pk])).context[
        "dash"
    ]
    sick = api(coordinator, Metric.SICK_ABSENCE_RATE)
    intake = api(coordinator, Metric.INTAKE_VS_QUOTA)
    dropout = api(coordinator, Metric.DROPOUT_RATE, cohorts="finished")
    dept_sick = api(coordinator, Metric.SICK_ABSENCE_RATE, department=fred.dogn.pk)
    dept_intake = api(coordinator, Metric.INTAKE_VS_QUOTA, department=fred.dogn.pk)

    kkr_client = login(fred_kkr)
    kkr = kkr_client.get(reverse("dashboards:kkr_overview")).context["overview"]
    kkr_row = next(r for r in kkr.rows if r["municipality"] == fred.municipality)
    kkr_started = api(kkr_client, Metric.STARTED, municipality=250)
    kkr_sick = api(kkr_client, Metric.SICK_ABSENCE_RATE, municipality=250)

    years = {
        overview.year,
        department.year,
        kkr.year,
        sick["year"],
        intake["year"],
        dropout["year"],
        dept_sick["year"],
        kkr_started["year"],
        kkr_sick["year"],
    }
    assert years == {2023}
    assert sick["value"] == round(tile(overview, Metric.SICK_ABSENCE_RATE).result.value, 2)
    assert intake["numerator"] == tile(overview, Metric.INTAKE_VS_QUOTA).result.numerator
    assert intake["value"] == round(tile(overview, Metric.INTAKE_VS_QUOTA).result.value, 2)
    assert dropout["value"] == round(tile(overview, Metric.DROPOUT_RATE).result.value, 2)
    assert dept_sick["value"] == round(tile(department, Metric.SICK_ABSENCE_RATE).result.value, 2)
    # Døgnplejen has no quota of its own: no ratio on either, the same note and intake on both.
    dept_tile = tile(department, Metric.INTAKE_VS_QUOTA).result
    assert dept_intake["value"] is None and dept_tile.value is None
    assert dept_intake["numerator"] == dept_tile.numerator
    assert dept_intake["note"] == dept_tile.note
    assert kkr_started["value"] == kkr_row["started"].value
    assert kkr_sick["value"] == round(kkr_row["sick"].value, 2)
