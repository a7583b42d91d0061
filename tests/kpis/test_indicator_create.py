"""Coordinators create, edit and delete indicators in the portal: computed or manual, the
baseline typed in or measured by the portal for a year, targets of every kind."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from apps.core.models import AuditEntry
from apps.core.roles import Role
from apps.kpis import services
from apps.kpis.choices import MeasurementSource, Metric, TargetKind, Unit
from apps.kpis.facts import FactTable
from apps.kpis.models import Indicator, Measurement
from apps.kpis.services import measurements_recompute
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def fred(frederikssund):
    measurements_recompute(
        municipality_id=frederikssund.municipality.pk, as_of=datetime.date(2024, 6, 1)
    )
    return frederikssund


@pytest.fixture
def fred_coordinator(fred):
    return UserFactory(role=Role.COORDINATOR, municipality=fred.municipality)


def _post(**extra):
    return {
        "name": "Frafald SSH",
        "metric": "dropout_rate",
        "department": "",
        "programme": "",
        "cohort_year": "",
        "unit": "percent",
        "direction": "higher",
        "baseline_source": "document",
        "baseline_value": "",
        "baseline_period": "",
        "target_kind": "absolute",
        "target_value": "",
        "target_period": "",
        "note": "",
        **extra,
    }


def test_a_computed_indicator_with_a_baseline_measured_for_2023(login, fred, fred_coordinator):
    response = login(fred_coordinator).post(
        reverse("kpis:indicator_create"),
        _post(
            programme=fred.ssh.pk,
            direction="higher",  # ignored: a computed indicator follows its metric
            baseline_source="measured",
            baseline_period="2023",
            target_kind=TargetKind.POINTS,
            target_value="-3",
            target_period="2027",
        ),
    )
    assert response.status_code == 302
    indicator = Indicator.objects.get(name="Frafald SSH")
    expected = services.indicator_value(
        indicator, FactTable.load(municipality_ids=[fred.municipality.pk]), 2023
    )
    assert indicator.baseline_value == Decimal(str(round(expected.value, 2)))
    assert (indicator.baseline_period, indicator.direction) == (2023, "lower")
    assert indicator.measurements.filter(source=MeasurementSource.COMPUTED).exists()
    indicator.refresh_from_db()
    assert (indicator.baseline_measured, indicator.baseline_period) == (True, 2023)
    page = login(fred_coordinator).get(reverse("kpis:indicator_detail", args=[indicator.pk]))
    assert "målt af portalen for 2023 ud fra elevdata" in page.content.decode()
    entry = AuditEntry.objects.for_object(indicator).get(action="kpis.indicator.created")
    assert entry.context["baseline"] == "computed"


def test_a_typed_in_baseline_is_not_labelled_as_measured(login, fred, fred_coordinator):
    login(fred_coordinator).post(
        reverse("kpis:indicator_create"),
        _post(programme=fred.ssa.pk, baseline_value="40", baseline_period="2023"),
    )
    indicator = Indicator.objects.get()
    assert indicator.baseline_value == Decimal("40")
    indicator.refresh_from_db()
    assert indicator.baseline_measured is False
    page = login(fred_coordinator).get(reverse("kpis:indicator_detail", args=[indicator.pk]))
    assert "målt af portalen" not in page.content.decode()


def test_a_later_typed_baseline_replaces_the_measured_label(fred, fred_coordinator):
    indicator = services.indicator_create(
        municipality_id=fred.municipality.pk,
        actor=fred_coordinator,
        data={"name": "Frafald", "metric": Metric.DROPOUT_RATE},
        baseline_from_period=2023,
    )
    indicator.refresh_from_db()
    assert (indicator.baseline_measured, indicator.baseline_period) == (True, 2023)
    services.indicator_update(
        indicator=indicator, actor=fred_coordinator, data={"baseline_value": Decimal("12")}
    )
    indicator.refresh_from_db()
    assert indicator.baseline_measured is False


def test_a_year_without_a_measured_value_is_a_danish_field_error(login, fred, fred_coordinator):
    response = login(fred_coordinator).post(
        reverse("kpis:indicator_create"),
        _post(baseline_source="measured", baseline_period="2001"),
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors["baseline_period"] == [
        "Portalen har ingen målt værdi for 2001 for dette nøgletal. Vælg et andet år, eller "
        "skriv baseline ind fra dokumentet."
    ]
    assert not Indicator.objects.exists()


def test_a_manual_indicator_has_no_measured_baseline(login, fred, fred_coordinator):
    response = login(fred_coordinator).post(
        reverse("kpis:indicator_create"),
        _post(metric="", baseline_source="measured", baseline_period="2023"),
    )
    assert "Kun et beregnet nøgletal har en målt værdi" in response.content.decode()
    assert not Indicator.objects.exists()


def test_a_manual_indicator_keeps_the_unit_and_direction_chosen(login, fred, fred_coordinator):
    response = login(fred_coordinator).post(
        reverse("kpis:indicator_create"),
        _post(
            name="Godt modtaget",
            metric="",
            unit=Unit.COUNT,
            direction="lower",
            baseline_value="80",
            baseline_period="2022",
            target_kind=TargetKind.RELATIVE,
            target_value="10",
            target_period="2026",
        ),
    )
    assert response.status_code == 302
    indicator = Indicator.objects.get()
    assert (indicator.metric, indicator.unit, indicator.direction) == ("", "count", "lower")
    assert not indicator.measurements.exists()


def test_a_relative_target_needs_a_baseline(fred, fred_coordinator):
    with pytest.raises(ValidationError):
        services.indicator_create(
            municipality_id=fred.municipality.pk,
            actor=fred_coordinator,
            data={
                "name": "x",
                "metric": Metric.DROPOUT_RATE,
                "target_kind": TargetKind.RELATIVE,
                "target_value": Decimal("-10"),
            },
        )
    assert not Indicator.objects.exists()


def test_a_breakdown_cannot_be_an_indicator(fred, fred_coordinator):
    with pytest.raises(ValidationError) as exc:
        services.indicator_create(
            municipality_id=fred.municipality.pk,
            actor=fred_coordinator,
            data={"name": "Årsager", "metric": Metric.DROPOUTS_BY_REASON},
        )
    assert "metric" in exc.value.message_dict


def test_delete_is_refused_over_hand_entered_measurements_until_confirmed(
    login, fred, fred_coordinator
):
    indicator = services.indicator_create(
        municipality_id=fred.municipality.pk,
        actor=fred_coordinator,
        data={"name": "Godt modtaget", "unit": Unit.PERCENT},
    )
    Measurement.objects.create(
        municipality=fred.municipality, indicator=indicator, period=2022, value=80
    )
    client = login(fred_coordinator)
    url = reverse("kpis:indicator_delete", args=[indicator.pk])
    refused = client.post(url, {"version": indicator.version})
    assert refused.status_code == 400
    assert "indtastet eller rettet i hånden (2022)" in refused.content.decode()
    assert Indicator.objects.filter(pk=indicator.pk).exists()
    done = client.post(url, {"version": indicator.version, "including_manual": "on"})
    assert done.status_code == 302
    assert not Indicator.objects.filter(pk=indicator.pk).exists()
    assert AuditEntry.objects.filter(
        action="kpis.indicator.deleted", object_id=str(indicator.pk)
    ).exists()


def test_a_computed_indicator_is_deleted_at_once(fred, fred_coordinator):
    indicator = services.indicator_create(
        municipality_id=fred.municipality.pk,
        actor=fred_coordinator,
        data={"name": "Frafald", "metric": Metric.DROPOUT_RATE},
    )
    assert indicator.measurements.exists()
    services.indicator_delete(indicator=indicator, actor=fred_coordinator)
    assert not Indicator.objects.exists() and not Measurement.objects.exists()


def test_leaders_get_403_and_other_municipalities_404(login, fred, fred_coordinator, outsider):
    indicator = services.indicator_create(
        municipality_id=fred.municipality.pk,
        actor=fred_coordinator,
        data={"name": "Frafald", "metric": Metric.DROPOUT_RATE},
    )
    leader = UserFactory(role=Role.LEADER, municipality=fred.municipality, departments=[fred.dogn])
    assert login(leader).get(reverse("kpis:indicator_create")).status_code == 403
    assert login(leader).post(reverse("kpis:indicator_create"), _post()).status_code == 403
    url = reverse("kpis:indicator_delete", args=[indicator.pk])
    assert login(outsider).post(url, {"version": 1}).status_code == 404
    assert Indicator.objects.filter(pk=indicator.pk).exists()


def test_the_list_marks_measured_baselines_in_a_constant_number_of_queries(
    login, fred, fred_coordinator, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def make(n):
        for i in range(n):
            services.indicator_create(
                municipality_id=fred.municipality.pk,
                actor=fred_coordinator,
                data={"name": f"Frafald {i} {n}", "metric": Metric.DROPOUT_RATE},
                baseline_from_period=2023,
            )

    client = login(fred_coordinator)
    make(1)
    client.get(reverse("kpis:indicator_list"))
    with CaptureQueriesContext(connection) as one:
        client.get(reverse("kpis:indicator_list"))
    make(4)
    with django_assert_max_num_queries(len(one)):
        page = client.get(reverse("kpis:indicator_list"))
    assert page.content.decode().count("målt af portalen") == 5
