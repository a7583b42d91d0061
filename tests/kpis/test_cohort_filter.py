"""An indicator's cohort filter (`cohort_year`): one cohort's figure in every measurement,
offered to coordinators only for cohort metrics, shown as "Årgang 2022" and audited."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from apps.core.models import AuditEntry
from apps.core.roles import Role
from apps.kpis.choices import Direction, MeasurementSource, Metric, TargetKind, Unit
from apps.kpis.forms import IndicatorTargetForm
from apps.kpis.models import Indicator, Measurement
from apps.kpis.services import indicator_update, measurements_recompute
from tests.factories import UserFactory
from tests.kpis.oracles import kpi_completion_rate

pytestmark = pytest.mark.django_db

AS_OF = datetime.date(2024, 6, 1)
COHORT_ERROR = (
    "En årgang kan kun vælges for nøgletal om årgange: gennemførelse, frafald, ansat efter "
    "endt uddannelse og ansat pr. startet elev."
)


def _indicator(frederikssund, **fields) -> Indicator:
    defaults = {
        "municipality": frederikssund.municipality,
        "name": "Gennemførelse SSH",
        "unit": Unit.PERCENT,
        "direction": Direction.HIGHER,
        "target_kind": TargetKind.ABSOLUTE,
        "metric": Metric.COMPLETION_RATE,
        "programme": frederikssund.ssh,
    }
    return Indicator.objects.create(**(defaults | fields))


@pytest.fixture
def fred_coordinator(frederikssund):
    return UserFactory(role=Role.COORDINATOR, municipality=frederikssund.municipality)


def _form_data(indicator: Indicator, **changes) -> dict:
    data = {
        "name": indicator.name,
        # What the page renders as chosen: the indicator's metric and filters.
        "metric": indicator.metric,
        "programme": indicator.programme_id or "",
        "department": indicator.department_id or "",
        "baseline_source": "document",
        "unit": indicator.unit,
        "direction": indicator.direction,
        "baseline_value": "",
        "baseline_period": "",
        "target_kind": indicator.target_kind,
        "target_value": "",
        "target_period": "",
        "cohort_year": "",
        "note": "",
        "version": indicator.version,
    }
    return data | changes


def test_an_indicator_on_the_2022_cohort_stores_that_cohorts_completion_every_year(
    frederikssund, coordinator_scope
):
    indicator = _indicator(frederikssund, cohort_year=2022)
    measurements_recompute(municipality_id=frederikssund.municipality.pk, as_of=AS_OF)
    measurements = list(Measurement.objects.filter(indicator=indicator).order_by("period"))
    # From the cohort's start year on, never the years before it started (2020).
    assert [m.period for m in measurements] == [2022, 2023]
    selector = kpi_completion_rate(scope=coordinator_scope, cohort_year=2022, programme="SSH")
    for m in measurements:
        assert (m.numerator, m.denominator, m.value) == (31, 37, Decimal("83.78"))
        assert round(m.value, 1) == Decimal("83.8")
        assert float(m.value) == pytest.approx(selector.value, abs=0.005)
        assert m.source == MeasurementSource.COMPUTED


def test_without_a_cohort_each_year_uses_the_latest_finished_cohorts(frederikssund):
    indicator = _indicator(frederikssund, metric=Metric.DROPOUT_RATE, programme=frederikssund.ssa)
    measurements_recompute(municipality_id=frederikssund.municipality.pk, as_of=AS_OF)
    m2023 = Measurement.objects.get(indicator=indicator, period=2023)
    # The 2022 SSA cohort still has 30 in course, so 2023 measures the 2020 cohort: 18/45.
    assert (m2023.numerator, m2023.denominator) == (18, 45)


@pytest.mark.parametrize("metric", [Metric.SICK_ABSENCE_RATE, Metric.INTAKE_VS_QUOTA, ""])
def test_a_cohort_on_a_metric_that_is_not_about_cohorts_is_refused(frederikssund, metric):
    indicator = Indicator(
        municipality=frederikssund.municipality,
        name="Sygefravær",
        metric=metric,
        cohort_year=2022,
    )
    with pytest.raises(ValidationError) as exc:
        indicator.full_clean()
    assert exc.value.message_dict["cohort_year"] == [COHORT_ERROR]


def test_the_coordinators_form_refuses_a_cohort_on_sick_absence_at_the_field(frederikssund):
    indicator = _indicator(
        frederikssund, name="Sygefravær", metric=Metric.SICK_ABSENCE_RATE, programme=None
    )
    form = IndicatorTargetForm(_form_data(indicator, cohort_year="2022"), instance=indicator)
    assert not form.is_valid()
    assert form.errors["cohort_year"] == [COHORT_ERROR]
    assert "cohort_year" in IndicatorTargetForm.base_fields


def test_the_form_page_shows_the_danish_error_next_to_the_cohort_field(
    login, frederikssund, fred_coordinator
):
    indicator = _indicator(
        frederikssund, name="Sygefravær", metric=Metric.SICK_ABSENCE_RATE, programme=None
    )
    client = login(fred_coordinator)
    url = reverse("kpis:indicator_update", args=[indicator.pk])
    response = client.post(url, _form_data(indicator, cohort_year="2022"))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="id_cohort_year"' in html
    assert "En årgang kan kun vælges for nøgletal om årgange" in html
    indicator.refresh_from_db()
    assert indicator.cohort_year is None


def test_a_coordinator_sets_the_cohort_with_history_and_the_page_shows_it(
    login, frederikssund, fred_coordinator
):
    indicator = _indicator(frederikssund)
    measurements_recompute(municipality_id=frederikssund.municipality.pk, as_of=AS_OF)
    client = login(fred_coordinator)
    url = reverse("kpis:indicator_update", args=[indicator.pk])
    response = client.post(url, _form_data(indicator, cohort_year="2022"))
    assert response.status_code == 302
    indicator.refresh_from_db()
    assert indicator.cohort_year == 2022
    entry = AuditEntry.objects.for_object(indicator).get(action="kpis.indicator.updated")
    assert entry.changes["cohort_year"] == [None, 2022]
    # The computed measurements now describe the 2022 cohort.
    m2023 = Measurement.objects.get(indicator=indicator, period=2023)
    assert (m2023.numerator, m2023.denominator) == (31, 37)
    detail = client.get(reverse("kpis:indicator_detail", args=[indicator.pk]))
    assert "Årgang 2022" in detail.content.decode()
    listing = client.get(reverse("kpis:indicator_list"))
    assert "Årgang 2022" in listing.content.decode()


def test_changing_the_cohort_keeps_corrected_measurements(frederikssund, fred_coordinator):
    indicator = _indicator(frederikssund)
    measurements_recompute(municipality_id=frederikssund.municipality.pk, as_of=AS_OF)
    # Without a cohort, 2022 has no finished SSH cohort yet; 2023 measures SSH 2022.
    assert list(Measurement.objects.filter(indicator=indicator).values_list("period")) == [(2023,)]
    Measurement.objects.filter(indicator=indicator, period=2023).update(
        source=MeasurementSource.MANUAL, value=Decimal("50")
    )
    indicator_update(
        indicator=indicator,
        actor=fred_coordinator,
        data={"cohort_year": 2022},
        expected_version=indicator.version,
    )
    assert Measurement.objects.get(indicator=indicator, period=2023).value == Decimal("50")
    m2022 = Measurement.objects.get(indicator=indicator, period=2022)
    assert (m2022.numerator, m2022.denominator, m2022.source) == (31, 37, "computed")


def test_the_dashboard_shows_a_cohort_indicator_on_its_own_tile_not_the_latest_cohorts(
    frederikssund, coordinator_scope
):
    from apps.dashboards.selectors import department_dashboard

    indicator = _indicator(
        frederikssund, metric=Metric.DROPOUT_RATE, cohort_year=2022, target_value=Decimal("10")
    )
    measurements_recompute(municipality_id=frederikssund.municipality.pk, as_of=AS_OF)
    dashboard = department_dashboard(
        scope=coordinator_scope, department=frederikssund.dogn, programme="SSH"
    )
    own = [t for t in dashboard.goal_tiles if t.indicator == indicator]
    assert len(own) == 1 and own[0].indicator.cohort_label == "Årgang 2022"
    assert all(t.indicator != indicator for t in dashboard.tiles)
