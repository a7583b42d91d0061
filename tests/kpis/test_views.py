"""Coordinators' KPI pages: see indicators and measurements, correct one, with history."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from apps.core.models import AuditEntry
from apps.core.roles import Role
from apps.kpis.choices import Metric, TargetKind, Unit
from apps.kpis.models import Indicator, Measurement
from apps.kpis.services import measurements_recompute
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def indicator(frederikssund):
    ind = Indicator.objects.create(
        municipality=frederikssund.municipality,
        name="Frafald SSA",
        unit=Unit.PERCENT,
        direction="lower",
        baseline_value=40,
        baseline_period=2023,
        target_value=-7,
        target_period=2026,
        target_kind=TargetKind.RELATIVE,
        metric=Metric.DROPOUT_RATE,
        programme=frederikssund.ssa,
    )
    measurements_recompute(
        municipality_id=frederikssund.municipality.pk, as_of=datetime.date(2024, 6, 1)
    )
    return ind


@pytest.fixture
def fred_coordinator(frederikssund):
    return UserFactory(role=Role.COORDINATOR, municipality=frederikssund.municipality)


def test_the_list_shows_baseline_target_and_latest_measurement(login, indicator, fred_coordinator):
    html = login(fred_coordinator).get(reverse("kpis:indicator_list")).content.decode()
    assert "Frafald SSA" in html
    assert "37,2" in html  # 40 % − 7 % relative


def test_leaders_may_not_open_the_indicator_pages(login, indicator, frederikssund):
    leader = UserFactory(
        role=Role.LEADER, municipality=frederikssund.municipality, departments=[frederikssund.dogn]
    )
    assert login(leader).get(reverse("kpis:indicator_list")).status_code == 403


def test_another_municipalitys_coordinator_gets_404(login, indicator, outsider):
    response = login(outsider).get(reverse("kpis:indicator_detail", args=[indicator.pk]))
    assert response.status_code == 404


def test_a_coordinator_corrects_a_measurement_and_sees_the_history(
    login, indicator, fred_coordinator
):
    m = Measurement.objects.get(indicator=indicator, period=2023)
    client = login(fred_coordinator)
    response = client.post(
        reverse("kpis:measurement_update", args=[m.pk]),
        {"value": "39,5", "note": "Rettet efter EduAdm", "version": m.version},
    )
    assert response.status_code == 302
    m.refresh_from_db()
    assert m.value == Decimal("39.50") and m.source == "manual"
    assert AuditEntry.objects.for_object(m).filter(action="kpis.measurement.corrected").exists()
    html = client.get(reverse("kpis:indicator_detail", args=[indicator.pk])).content.decode()
    assert "Rettet efter EduAdm" in html


def test_a_stale_correction_shows_a_danish_conflict(login, indicator, fred_coordinator):
    m = Measurement.objects.get(indicator=indicator, period=2023)
    client = login(fred_coordinator)
    url = reverse("kpis:measurement_update", args=[m.pk])
    client.post(url, {"value": "39", "note": "a", "version": m.version})
    response = client.post(url, {"value": "38", "note": "b", "version": m.version})
    assert response.status_code == 200
    assert "ændret af en anden" in response.content.decode()


def test_a_coordinator_changes_a_target_with_history(login, indicator, fred_coordinator):
    client = login(fred_coordinator)
    data = {
        "name": "Frafald SSA",
        "metric": "dropout_rate",
        "programme": indicator.programme_id,
        "baseline_source": "document",
        "unit": "percent",
        "direction": "lower",
        "baseline_value": "40",
        "baseline_period": "2023",
        "target_kind": "points",
        "target_value": "-5",
        "target_period": "2027",
        "note": "",
        "version": indicator.version,
    }
    response = client.post(reverse("kpis:indicator_update", args=[indicator.pk]), data)
    assert response.status_code == 302
    entry = AuditEntry.objects.for_object(indicator).get(action="kpis.indicator.updated")
    assert entry.changes["target_kind"] == ["relative", "points"]


def test_a_manual_measurement_is_entered_with_who_and_when(login, frederikssund, fred_coordinator):
    survey = Indicator.objects.create(
        municipality=frederikssund.municipality, name="Godt modtaget", unit=Unit.PERCENT
    )
    client = login(fred_coordinator)
    client.post(
        reverse("kpis:indicator_detail", args=[survey.pk]),
        {"period": "2022", "value": "80", "note": "Elevvurdering 2022"},
    )
    m = Measurement.objects.get(indicator=survey)
    assert (m.value, m.recorded_by, m.source) == (Decimal("80.00"), fred_coordinator, "manual")


def test_a_target_is_shown_once_readably_on_the_list_and_the_detail_page(
    login, indicator, frederikssund, fred_coordinator
):
    level = Indicator.objects.create(
        municipality=frederikssund.municipality,
        name="Uddannede vejledere",
        unit=Unit.PERCENT,
        target_value=100,
        target_period=2027,
        target_kind=TargetKind.ABSOLUTE,
    )
    client = login(fred_coordinator)
    html = client.get(reverse("kpis:indicator_list")).content.decode()
    assert "<td>100\xa0% (niveau) i 2027</td>" in html
    assert "<td>37,2\xa0% i 2026 (\u22127\xa0% fra baseline)</td>" in html
    assert "(–)" not in html and "Niveau:" not in html
    detail = client.get(reverse("kpis:indicator_detail", args=[level.pk])).content.decode()
    assert "100\xa0% (niveau) i 2027</dd>" in detail
    assert "→" not in detail and "Niveau:" not in detail
