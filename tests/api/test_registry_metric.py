"""A KPI is declared once, in the registry, and the API serves it and lists it."""

import pytest
from django.urls import reverse

from apps.kpis.registry import MetricDefinition, Period, register, unregister
from apps.kpis.results import KpiResult

pytestmark = pytest.mark.django_db

THROWAWAY = "throwaway_rate"


@pytest.fixture
def throwaway_metric():
    """A metric that exists only for this test: three of every four trainees who started."""

    def compute(table, q):
        started = table.count("cohort", "started", q.year, **q.filters)
        return KpiResult(THROWAWAY, started * 3, started * 4)

    register(MetricDefinition(THROWAWAY, compute, Period.COHORT))
    yield THROWAWAY
    unregister(THROWAWAY)


def test_a_metric_defined_only_in_the_registry_is_answered_and_in_the_schema(
    token_client, fred_coordinator, throwaway_metric
):
    client = token_client(fred_coordinator)
    response = client.get(
        reverse("api:metric", args=[throwaway_metric]) + "?programme=SSH&year=2022"
    )
    assert response.status_code == 200, response.content
    data = response.json()
    assert (data["metric"], data["numerator"], data["denominator"], data["value"]) == (
        THROWAWAY,
        3 * 37,
        4 * 37,
        75.0,
    )
    schema = client.get(reverse("api:openapi")).json()
    parameter = next(
        p for p in schema["paths"]["/metrics/{metric}/"]["get"]["parameters"] if p["in"] == "path"
    )
    assert THROWAWAY in parameter["schema"]["enum"]
    assert THROWAWAY in schema["components"]["schemas"]["Value"]["properties"]["metric"]["enum"]
    assert THROWAWAY in client.get(reverse("api:index")).json()["metrics"]


def test_without_the_definition_the_metric_is_unknown(token_client, fred_coordinator):
    client = token_client(fred_coordinator)
    response = client.get(reverse("api:metric", args=[THROWAWAY]))
    assert response.status_code == 404
    schema = client.get(reverse("api:openapi")).json()
    assert THROWAWAY not in schema["components"]["schemas"]["Value"]["properties"]["metric"]["enum"]
