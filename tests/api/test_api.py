"""The read-only API: authentication, scope, errors, and the same numbers as the pages."""

import pytest
from django.test import override_settings
from django.urls import reverse

from apps.api.models import ApiToken, hash_token
from apps.core.roles import Role
from apps.kpis.choices import Metric, TargetKind, Unit
from apps.kpis.models import Indicator
from apps.kpis.services import measurements_recompute
from tests.factories import MunicipalityFactory, UserFactory

pytestmark = pytest.mark.django_db


def metric_url(name, **params):
    query = "&".join(f"{k}={v}" for k, v in params.items())
    return reverse("api:metric", args=[name]) + (f"?{query}" if query else "")


def test_without_session_or_token_the_api_answers_401_in_danish(client, fred):
    response = client.get(metric_url("started", municipality=250))
    assert response.status_code == 401
    assert response.json() == {"detail": "Log ind eller brug en gyldig API-nøgle."}


def test_a_token_is_stored_only_as_its_hash(fred_coordinator):
    token, raw = ApiToken.issue(user=fred_coordinator, name="Power BI")
    assert raw not in (token.key_hash, token.prefix) and token.key_hash == hash_token(raw)


def test_a_revoked_token_is_refused(client, fred_coordinator):
    token, raw = ApiToken.issue(user=fred_coordinator, name="BI")
    ApiToken.objects.filter(pk=token.pk).update(revoked_at="2024-01-01T00:00:00Z")
    response = client.get(metric_url("started"), HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert response.status_code == 401


def test_the_token_answers_the_seed_figures(token_client, fred_coordinator):
    client = token_client(fred_coordinator)
    completion = client.get(
        metric_url("completion_rate", municipality=250, programme="SSH", year=2022)
    )
    assert completion.status_code == 200
    data = completion.json()
    assert (data["metric"], data["value"], data["numerator"], data["denominator"]) == (
        "completion_rate",
        83.78,
        31,
        37,
    )
    reasons = client.get(metric_url("dropouts_by_reason", programme="SSA", year=2023)).json()
    assert [r["count"] for r in reasons["rows"]] == [6, 5, 4, 3, 3, 3, 1, 1, 2]
    assert {"key", "count"} <= set(reasons["rows"][0])
    hired = client.get(metric_url("hire_rate", year=2023, cohorts="finished")).json()
    assert (hired["numerator"], hired["denominator"], hired["value"]) == (34, 82, 41.46)


@pytest.mark.parametrize(
    ("url", "status", "detail"),
    [
        (metric_url("happiness"), 404, "Ukendt nøgletal: happiness"),
        (
            metric_url("started", year="20x3"),
            400,
            "year skal være et årstal fra 1990 til 2100, fx 2023.",
        ),
        (metric_url("started", programme="XYZ"), 400, "Ukendt uddannelse: XYZ"),
        (metric_url("started", municipality=219), 404, "Kommunen findes ikke."),
        (metric_url("started", department=999999), 404, "Fagområdet findes ikke."),
    ],
)
def test_errors_are_json_with_danish_messages(token_client, fred_coordinator, url, status, detail):
    MunicipalityFactory(code=219, name="Hillerød")
    response = token_client(fred_coordinator).get(url)
    assert response.status_code == status
    assert response.json() == {"detail": detail}


def test_a_leader_gets_404_for_another_department(token_client, fred, fred_leader):
    client = token_client(fred_leader)
    assert client.get(metric_url("started", department=fred.omsorg.pk)).status_code == 404
    own = client.get(metric_url("started", department=fred.dogn.pk, year=2022, programme="SSH"))
    assert own.json()["value"] == 13


def test_a_leader_without_department_gets_their_departments_only(token_client, fred, fred_leader):
    data = token_client(fred_leader).get(metric_url("started", year=2022, programme="SSH")).json()
    assert data["value"] == 13


def test_a_leader_reads_their_department_exactly_except_dropout_reasons_under_5(
    token_client, fred, fred_leader
):
    data = (
        token_client(fred_leader)
        .get(metric_url("dropouts_by_reason", department=fred.dogn.pk, year=2023, programme="SSH"))
        .json()
    )
    assert all(r["count"] is None and r["suppressed"] for r in data["rows"])
    rate = (
        token_client(fred_leader)
        .get(metric_url("dropout_rate", department=fred.dogn.pk, year=2022, programme="SSH"))
        .json()
    )
    # The same exact figure as on the leader's dashboard (one disclose for both).
    assert rate["suppressed"] is False and rate["rounded"] is False
    assert rate["numerator"] is not None and rate["value"] is not None


def test_the_api_and_the_dashboard_show_the_same_numbers(login, fred, fred_coordinator):
    client = login(fred_coordinator)
    page = client.get(
        reverse("dashboards:department", args=[fred.dogn.pk]) + "?year=2023&programme=SSA"
    )
    tiles = {t.metric: t.result for t in page.context["dash"].tiles}
    common = {"department": fred.dogn.pk, "programme": "SSA", "year": 2023}
    for name, extra in [
        (Metric.INTAKE_VS_QUOTA, {}),
        (Metric.DROPOUT_RATE, {"cohorts": "finished"}),
        (Metric.HIRED_AFTER_COMPLETION_RATE, {"cohorts": "finished"}),
        (Metric.SICK_ABSENCE_RATE, {}),
        (Metric.INTERNAL_RECRUITMENT_RATE, {}),
    ]:
        api = client.get(metric_url(name, **common, **extra)).json()
        tile = tiles[name]
        assert api["numerator"] == pytest.approx(float(tile.numerator)), name
        if name == Metric.INTAKE_VS_QUOTA:
            # Døgnplejen has no quota of its own: neither gives a ratio, both say why.
            assert api["denominator"] is None and api["value"] is None and tile.value is None
            assert api["note"] == tile.note == "Der er kun en dimensionering for hele kommunen"
            continue
        assert api["denominator"] == pytest.approx(float(tile.denominator)), name
        assert api["value"] == round(tile.value, 2), name
    reasons = next(c for c in page.context["dash"].charts if c.id == "chart-dropout-reason")
    api = client.get(metric_url("dropouts_by_reason", **common)).json()
    assert [r["count"] for r in api["rows"]] == reasons.datasets[0]["data"]


def test_indicators_come_with_their_measurements(token_client, fred, fred_coordinator):
    indicator = Indicator.objects.create(
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
    measurements_recompute(municipality_id=fred.municipality.pk)
    data = token_client(fred_coordinator).get(reverse("api:indicator_list")).json()
    item = next(i for i in data["results"] if i["id"] == indicator.pk)
    m2023 = next(m for m in item["measurements"] if m["period"] == 2023)
    assert (m2023["value"], m2023["numerator"], m2023["denominator"]) == (40.0, 18.0, 45.0)
    assert item["target"] == {"value": -7.0, "period": 2026, "kind": "relative"}


def test_other_municipalities_indicators_are_not_found(token_client, fred, fred_coordinator):
    other = MunicipalityFactory(code=219, name="Hillerød")
    indicator = Indicator.objects.create(municipality=other, name="Vejledere", unit=Unit.PERCENT)
    response = token_client(fred_coordinator).get(
        reverse("api:indicator_detail", args=[indicator.pk])
    )
    assert response.status_code == 404


def test_the_openapi_schema_lists_every_metric(client):
    schema = client.get(reverse("api:openapi")).json()
    assert schema["openapi"].startswith("3.")
    enum = schema["paths"]["/metrics/{metric}/"]["get"]["parameters"][0]["schema"]["enum"]
    assert "dropouts_by_phase" in enum and "placement_welcomed_share" in enum
    assert len(enum) == 15


def test_a_leader_sees_municipality_wide_indicators_but_not_other_departments(
    token_client, fred, fred_leader
):
    common = Indicator.objects.create(municipality=fred.municipality, name="Fælles", unit="percent")
    own = Indicator.objects.create(
        municipality=fred.municipality, name="Eget", unit="percent", department=fred.dogn
    )
    other = Indicator.objects.create(
        municipality=fred.municipality, name="Andet", unit="percent", department=fred.omsorg
    )
    data = token_client(fred_leader).get(reverse("api:indicator_list")).json()
    ids = {i["id"] for i in data["results"]}
    assert {common.pk, own.pk} <= ids and other.pk not in ids


@override_settings(TOTP_REQUIRED_FOR_ADMINS=False)  # two-factor login is tested elsewhere
def test_an_admin_issues_a_token_that_is_shown_once(client, admin_user, coordinator):
    client.force_login(admin_user, backend="django.contrib.auth.backends.ModelBackend")
    response = client.post(
        reverse("admin:api_apitoken_add"),
        {"user": coordinator.pk, "name": "Power BI"},
        follow=True,
    )
    assert response.status_code == 200
    shown = [str(m) for m in response.context["messages"]]
    token = ApiToken.objects.get(user=coordinator)
    raw = next(m.rsplit(" ", 1)[1] for m in shown if "vises kun denne ene gang" in m)
    assert token.key_hash == hash_token(raw) and raw.startswith(token.prefix)
    listing = client.get(reverse("admin:api_apitoken_changelist")).content.decode()
    assert raw not in listing


def test_a_kkr_analyst_reads_any_municipality_but_no_department(token_client, fred):
    hillerod = MunicipalityFactory(code=219, name="Hillerød")
    analyst = UserFactory(role=Role.KKR_ANALYST, municipality=hillerod)
    client = token_client(analyst)
    data = client.get(metric_url("started", municipality=250, year=2023)).json()
    assert data["value"] == 100  # 98, rounded to base 5 for an aggregates-only role
    assert data["rounded"] is True
    assert client.get(metric_url("started", department=fred.dogn.pk)).status_code == 404


def test_a_municipality_wide_measurement_reaches_a_leader_rounded_as_on_the_page(
    token_client, fred, fred_leader, fred_coordinator
):
    indicator = Indicator.objects.create(
        municipality=fred.municipality,
        name="Frafald SSA",
        unit=Unit.PERCENT,
        metric=Metric.DROPOUT_RATE,
        programme=fred.ssa,
    )
    measurements_recompute(municipality_id=fred.municipality.pk)

    def m2023(user):
        data = token_client(user).get(reverse("api:indicator_detail", args=[indicator.pk])).json()
        m = next(m for m in data["measurements"] if m["period"] == 2023)
        return m["value"], m["numerator"], m["denominator"], m["rounded"]

    # Not the leader's own department's figure: 18 of 45 reaches them rounded to base 5.
    assert m2023(fred_leader) == (44.44, 20.0, 45.0, True)
    assert m2023(fred_coordinator) == (40.0, 18.0, 45.0, False)
