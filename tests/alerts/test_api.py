"""GET /api/v1/metrics/absence_warnings/: flagged ÷ active trainees with absence rows in the
window, the same flags the list shows, scoped and disclosed like every metric."""

import pytest
from django.urls import reverse

from apps.alerts.selectors import flag_rows
from apps.alerts.services import absence_flags_recompute
from apps.core.scoping import Scope

pytestmark = pytest.mark.django_db
URL = "/api/v1/metrics/absence_warnings/"


@pytest.fixture
def computed(municipality, flagged_pair):
    absence_flags_recompute(municipality_id=municipality.pk)
    return flagged_pair


def test_the_metric_matches_the_list(login, coordinator, municipality, computed):
    data = login(coordinator).get(URL, {"municipality": municipality.code}).json()
    scope = Scope(coordinator.pk, coordinator.role, municipality.pk)
    assert data["numerator"] == flag_rows(scope).count() == 2
    assert data["denominator"] == 3  # the active trainees with rows in Aug–Oct 2026
    assert data["metric"] == "absence_warnings" and data["value"] == pytest.approx(66.67)
    assert (data["first_month"], data["last_month"], data["threshold"]) == (
        "2026-08-01",
        "2026-10-01",
        10.0,
    )


def test_a_department_filters_the_figure(login, coordinator, municipality, school, computed):
    data = login(coordinator).get(URL, {"department": school.pk}).json()
    assert (data["numerator"], data["denominator"], data["department"]) == (1, 1, school.pk)


def test_a_leader_gets_only_their_departments(login, leader, municipality, school, computed):
    client = login(leader)
    data = client.get(URL, {"municipality": municipality.code}).json()
    assert (data["numerator"], data["denominator"], data["suppressed"]) == (1, 2, False)
    assert client.get(URL, {"department": school.pk}).status_code == 404


def test_small_numbers_are_hidden_from_a_kkr_analyst(login, kkr, municipality, computed):
    data = login(kkr).get(URL, {"municipality": municipality.code}).json()
    assert data["suppressed"] is True and data["numerator"] is None and data["value"] is None


def test_bad_parameters_are_a_danish_400_or_404(login, coordinator, computed):
    client = login(coordinator)
    response = client.get(URL, {"municipality": "abc"})
    assert response.status_code == 400 and "kommunenummer" in response.json()["detail"]
    assert client.get(URL, {"municipality": "999"}).status_code == 404


def test_the_endpoint_is_in_the_index_and_the_schema(client):
    assert client.get(reverse("api:index")).json()["absence_warnings"] == URL
    schema = client.get(reverse("api:openapi")).json()
    operation = schema["paths"]["/metrics/absence_warnings/"]["get"]
    assert [p["name"] for p in operation["parameters"]] == ["municipality", "department"]
    assert "AbsenceWarnings" in schema["components"]["schemas"]
