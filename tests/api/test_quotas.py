"""GET /api/v1/quotas/ and intake_vs_quota per department: scoped like the pages."""

import pytest
from django.urls import reverse

from apps.core.roles import Role
from apps.trainees.models import IntakeQuota
from tests.factories import MunicipalityFactory, UserFactory

pytestmark = pytest.mark.django_db


def quotas_url(**params):
    query = "&".join(f"{k}={v}" for k, v in params.items())
    return reverse("api:quota_list") + (f"?{query}" if query else "")


def intake_url(**params):
    query = "&".join(f"{k}={v}" for k, v in params.items())
    return reverse("api:metric", args=["intake_vs_quota"]) + f"?{query}"


def test_the_quotas_of_a_year_with_ranges_and_departments(token_client, fred, fred_coordinator):
    IntakeQuota.objects.create(
        municipality=fred.municipality,
        programme=fred.ssh,
        year=2024,
        department=fred.dogn,
        minimum=10,
        maximum=14,
    )
    response = token_client(fred_coordinator).get(quotas_url(municipality=250, year=2024))
    assert response.status_code == 200
    assert response.json() == {
        "results": [
            {"programme": "SSA", "department": None, "year": 2024, "minimum": 56, "maximum": None},
            {"programme": "SSH", "department": None, "year": 2024, "minimum": 27, "maximum": None},
            {
                "programme": "SSH",
                "department": fred.dogn.pk,
                "year": 2024,
                "minimum": 10,
                "maximum": 14,
            },
        ]
    }
    every_year = token_client(fred_coordinator).get(quotas_url()).json()["results"]
    assert {r["year"] for r in every_year} == set(range(2020, 2027))


def test_another_municipalitys_quotas_are_not_found(token_client, fred, fred_coordinator):
    other = MunicipalityFactory(code=219, name="Hillerød Kommune")
    response = token_client(fred_coordinator).get(quotas_url(municipality=other.code))
    assert response.status_code == 404
    assert response.json() == {"detail": "Kommunen findes ikke."}


def test_a_bad_year_is_a_danish_400(token_client, fred, fred_coordinator):
    response = token_client(fred_coordinator).get(quotas_url(year="tyve"))
    assert response.status_code == 400
    assert "year skal være et årstal" in response.json()["detail"]


def test_a_kkr_analyst_reads_any_municipalitys_quotas(token_client, fred):
    hillerod = MunicipalityFactory(code=219, name="Hillerød Kommune")
    analyst = UserFactory(role=Role.KKR_ANALYST, municipality=hillerod)
    response = token_client(analyst).get(quotas_url(municipality=250, year=2023))
    assert response.status_code == 200
    assert len(response.json()["results"]) == 2


def test_intake_of_a_department_without_its_own_quota_has_no_value_and_says_why(
    token_client, fred, fred_coordinator
):
    data = (
        token_client(fred_coordinator)
        .get(intake_url(department=fred.dogn.pk, programme="SSH", year=2023))
        .json()
    )
    assert data["value"] is None
    assert data["denominator"] is None
    assert data["note"] == "Der er kun en dimensionering for hele kommunen"


def test_intake_of_a_department_uses_its_own_quota(token_client, fred, fred_coordinator):
    IntakeQuota.objects.create(
        municipality=fred.municipality,
        programme=fred.ssh,
        year=2023,
        department=fred.dogn,
        minimum=10,
        maximum=14,
    )
    data = (
        token_client(fred_coordinator)
        .get(intake_url(department=fred.dogn.pk, programme="SSH", year=2023))
        .json()
    )
    assert (data["numerator"], data["denominator"], data["maximum"]) == (13, 10, 14)
    assert data["value"] == 130.0
    assert "note" not in data


def test_intake_of_a_department_in_a_year_without_any_quota_says_so(
    token_client, fred, fred_coordinator
):
    data = (
        token_client(fred_coordinator)
        .get(intake_url(department=fred.dogn.pk, programme="SSH", year=2019))
        .json()
    )
    assert data["value"] is None
    assert data["note"] == "Der er ingen dimensionering for 2019"
