"""A department's intake against its own quota, or its share when only the municipality has one."""

import pytest
from django.urls import reverse

from apps.kpis.choices import Metric
from apps.kpis.facts import FactTable
from apps.kpis.services import measurements_recompute, system_scope
from apps.trainees.models import IntakeQuota

pytestmark = pytest.mark.django_db


def dept_url(department, **params):
    query = "&".join(f"{k}={v}" for k, v in params.items())
    return reverse("dashboards:department", args=[department.pk]) + (f"?{query}" if query else "")


def _intake_tile(client, department, **params):
    page = client.get(dept_url(department, **params))
    assert page.status_code == 200
    return {t.metric: t for t in page.context["dash"].tiles}[Metric.INTAKE_VS_QUOTA], page


def test_only_a_municipal_quota_gives_the_departments_share_not_a_ratio(
    login, fred, fred_coordinator
):
    tile, page = _intake_tile(login(fred_coordinator), fred.dogn, year=2023, programme="SSH")
    # 13 of the municipality's 38 new SSH trainees started in Døgnplejen: no "48,1 %" of 27.
    assert tile.result.value is None
    assert tile.value_text == "34,2\xa0%"
    assert tile.detail == "13 af kommunens 38 nye elever"
    assert tile.note == "Der er kun en dimensionering for hele kommunen"
    assert tile.period_label == "Startår 2023, fagområdets andel af kommunens optag"
    html = page.content.decode()
    assert "Der er kun en dimensionering for hele kommunen" in html
    assert "48,1" not in html


def test_a_departments_own_quota_is_what_its_intake_is_measured_against(
    login, fred, fred_coordinator
):
    IntakeQuota.objects.create(
        municipality=fred.municipality,
        programme=fred.ssh,
        year=2023,
        department=fred.dogn,
        minimum=12,
        maximum=15,
    )
    measurements_recompute(municipality_id=fred.municipality.pk)
    tile, page = _intake_tile(login(fred_coordinator), fred.dogn, year=2023, programme="SSH")
    assert (tile.result.numerator, tile.result.denominator, tile.result.maximum) == (13, 12, 15)
    assert tile.detail == "13 af 12–15"
    assert tile.note == ""
    assert tile.period_label == "Startår 2023, målt mod fagområdets dimensionering"
    # Within the range is reached, shown in words on a badge.
    assert tile.quota_badge == ("status-good", "Dimensioneringen er nået")
    assert "Dimensioneringen er nået" in page.content.decode()


def test_a_range_is_reached_from_its_minimum_to_its_maximum(fred):
    measurements_recompute(municipality_id=fred.municipality.pk)
    m, scope = fred.municipality, system_scope(fred.municipality.pk)
    quota = IntakeQuota.objects.get(municipality=m, programme=fred.ssh, year=2023)
    for minimum, maximum, reached in ((30, 40, True), (39, 45, False), (20, 30, False)):
        quota.minimum, quota.maximum = minimum, maximum
        quota.save()
        table = FactTable.load(municipality_ids=[m.pk])
        result = table.kpi(Metric.INTAKE_VS_QUOTA, scope=scope, year=2023, programme="SSH")
        assert result.numerator == 38
        assert (result.denominator, result.maximum) == (minimum, maximum)
        assert result.within_range is reached, (minimum, maximum)


def test_the_municipal_quota_is_the_sum_of_department_quotas_without_a_municipal_row(fred):
    m = fred.municipality
    IntakeQuota.objects.filter(municipality=m, programme=fred.ssh, year=2023).delete()
    IntakeQuota.objects.create(
        municipality=m, programme=fred.ssh, year=2023, department=fred.dogn, minimum=10
    )
    IntakeQuota.objects.create(
        municipality=m,
        programme=fred.ssh,
        year=2023,
        department=fred.omsorg,
        minimum=8,
        maximum=12,
    )
    measurements_recompute(municipality_id=m.pk)
    table = FactTable.load(municipality_ids=[m.pk])
    scope = system_scope(m.pk)
    whole = table.kpi(Metric.INTAKE_VS_QUOTA, scope=scope, year=2023, programme="SSH")
    assert (whole.denominator, whole.maximum) == (18, 22)
    rehab = table.kpi(
        Metric.INTAKE_VS_QUOTA, scope=scope, year=2023, programme="SSH", department=fred.rehab.pk
    )
    assert rehab.value is None
    assert rehab.note == "Der er kun en dimensionering for hele kommunen"


def test_without_a_programme_a_department_is_measured_on_its_own_quotas_only(fred):
    m = fred.municipality
    IntakeQuota.objects.create(
        municipality=m, programme=fred.ssh, year=2023, department=fred.dogn, minimum=10
    )
    measurements_recompute(municipality_id=m.pk)
    table = FactTable.load(municipality_ids=[m.pk], department_id=fred.dogn.pk)
    result = table.kpi(
        Metric.INTAKE_VS_QUOTA, scope=system_scope(m.pk), year=2023, department=fred.dogn.pk
    )
    assert (result.numerator, result.denominator) == (13, 10)
    assert result.note == "Kun uddannelser med en dimensionering for fagområdet tæller med."


def test_the_overview_says_which_departments_have_only_a_municipal_quota(
    login, fred, fred_coordinator
):
    IntakeQuota.objects.create(
        municipality=fred.municipality,
        programme=fred.ssh,
        year=2023,
        department=fred.omsorg,
        minimum=10,
    )
    page = login(fred_coordinator).get(
        reverse("dashboards:municipality_overview") + "?year=2023&programme=SSH"
    )
    rows = {r["department"].pk: r["intake"] for r in page.context["dash"].department_rows}
    assert rows[fred.dogn.pk].value is None and rows[fred.dogn.pk].share_of == 38
    assert rows[fred.omsorg.pk].denominator == 10
    html = page.content.decode()
    assert (
        "Der er kun en dimensionering for hele kommunen; fagområdets andel af kommunens "
        "optag: 34,2\xa0%"
    ) in html


def test_a_baseline_the_portal_measured_is_labelled_so_on_the_dashboard(
    login, fred, fred_coordinator
):
    from apps.kpis import services

    measurements_recompute(municipality_id=fred.municipality.pk)
    services.indicator_create(
        municipality_id=fred.municipality.pk,
        actor=fred_coordinator,
        data={"name": "Frafald SSH", "metric": Metric.DROPOUT_RATE},
        baseline_from_period=2023,
    )
    page = login(fred_coordinator).get(reverse("dashboards:municipality_overview") + "?year=2023")
    tile = {t.metric: t for t in page.context["dash"].tiles}[Metric.DROPOUT_RATE]
    assert tile.baseline.endswith("(målt af portalen for 2023)")
    assert "målt af portalen for 2023" in page.content.decode()
