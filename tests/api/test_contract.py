"""The API keeps its published contract: JSON errors for everything under /api/, RFC 9110
methods (405 with `Allow`, HEAD, OPTIONS), parameters validated exactly as the OpenAPI
schema describes them, and a NUL byte in a parameter is a Danish 400, never a 500."""

import json

import pytest
from django.test import Client, RequestFactory, override_settings
from django.urls import reverse

from apps.core.views import csrf_failure
from apps.kpis.registry import api_metrics
from apps.trainees.models import Programme

pytestmark = pytest.mark.django_db

API_URLS = [
    "/api/v1/",
    "/api/v1/openapi.json",
    "/api/v1/indicators/",
    "/api/v1/indicators/1/",
    "/api/v1/metrics/started/",
    "/api/v1/goals/",
    "/api/v1/quotas/",
    "/api/v1/initiatives/1/effect/",
]


@pytest.fixture
def api(token_client, fred_coordinator):
    return token_client(fred_coordinator)


def _metric_parameters(client):
    schema = client.get("/api/v1/openapi.json").json()
    operation = schema["paths"]["/metrics/{metric}/"]["get"]
    return {p["name"]: p["schema"] for p in operation["parameters"]}


@pytest.mark.parametrize(
    "path", ["/api/v1/indicators/__main__/", "/api/v1/findes-ikke/", "/api/v2/", "/api/"]
)
@pytest.mark.parametrize("debug", [False, True])
def test_an_unknown_api_path_is_a_json_404_in_danish_whatever_debug_is(api, path, debug):
    with override_settings(DEBUG=debug):
        response = api.get(path)
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"detail": "Findes ikke."}


def test_pages_outside_the_api_keep_their_html_404(client):
    response = client.get("/findes-ikke/")
    assert response.status_code == 404 and response["Content-Type"].startswith("text/html")


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete", "trace"])
@pytest.mark.parametrize("path", API_URLS)
def test_other_methods_get_405_with_allow_and_a_json_body(api, method, path):
    response = getattr(api, method)(path)
    assert response.status_code == 405
    assert response["Allow"] == "GET, HEAD, OPTIONS"
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"detail": "API'et kan kun læses."}


@pytest.mark.parametrize("path", API_URLS)
def test_options_lists_the_allowed_methods(client, path):
    response = client.options(path)
    assert response.status_code == 200
    assert response["Allow"] == "GET, HEAD, OPTIONS"
    assert response.content == b"" and response["Content-Length"] == "0"


@pytest.mark.parametrize("path", API_URLS)
def test_head_answers_like_get_without_a_body(api, path):
    got, head = api.get(path), api.head(path)
    assert head.status_code == got.status_code
    assert head["Content-Type"] == got["Content-Type"]
    assert head.content == b""
    assert int(head["Content-Length"]) == len(got.content)


def test_a_post_without_csrf_token_is_405_not_a_csrf_page(fred_coordinator):
    response = Client(enforce_csrf_checks=True).post("/api/v1/indicators/")
    assert response.status_code == 405 and response.json()["detail"] == "API'et kan kun læses."


def test_a_csrf_failure_under_the_api_is_json():
    request = RequestFactory().post("/api/v1/indicators/")
    response = csrf_failure(request, reason="CSRF cookie not set.")
    assert response.status_code == 403 and response["Content-Type"] == "application/json"
    assert "cookie not set" not in response.content.decode()
    assert json.loads(response.content)["detail"].startswith("Forespørgslen blev afvist")


@pytest.mark.urls("tests.api.urls")
@pytest.mark.parametrize("debug", [False, True])
def test_a_server_error_under_the_api_is_json_without_details(debug, client):
    client.raise_request_exception = False
    with override_settings(DEBUG=debug):
        response = client.get("/api/v1/test-boom/")
    assert response.status_code == 500
    assert response["Content-Type"] == "application/json"
    correlation_id = response["X-Correlation-ID"]
    assert response.json() == {"detail": f"Der opstod en fejl hos os. Fejlkode: {correlation_id}"}
    assert "Cache-Control" in response and response["Cache-Control"] == "no-store"


def test_the_schema_says_what_each_metric_parameter_accepts(client, fred):
    params = _metric_parameters(client)
    assert params["metric"] == {"type": "string", "enum": api_metrics()}
    assert params["year"]["type"] == "integer"
    assert (params["year"]["minimum"], params["year"]["maximum"]) == (1990, 2100)
    assert params["municipality"]["type"] == "integer" and params["municipality"]["minimum"] >= 1
    assert params["department"]["type"] == "integer" and params["department"]["minimum"] == 1
    codes = set(Programme.objects.values_list("code", flat=True))
    assert set(params["programme"]["enum"]) == codes
    assert params["cohorts"]["enum"] == ["finished"]


@pytest.mark.parametrize("year", [1990, 2100, 2023])
def test_every_year_the_schema_allows_is_answered(api, year):
    response = api.get(f"/api/v1/metrics/started/?year={year}")
    assert response.status_code == 200 and response.json()["year"] == year


@pytest.mark.parametrize(
    "query",
    [
        "year=0",
        "year=1989",
        "year=2101",
        "year=",
        "year=%202023",
        "year=2023&year=2024",
        "year=%D9%A2%D9%A0%D9%A2%D9%A3",  # Arabic-Indic digits are not an integer here
        "municipality=-1",
        "municipality=",
        "department=0",
        "department=abc",
        "department=" + "9" * 5000,
        "programme=",
        "programme=ssa",
        "cohorts=",
        "cohorts=all",
    ],
)
def test_a_value_the_schema_does_not_allow_is_a_danish_400(api, query):
    response = api.get(f"/api/v1/metrics/started/?{query}")
    assert response.status_code == 400, response.content
    assert response["Content-Type"] == "application/json"
    assert response.json()["detail"]


@pytest.mark.parametrize("path", API_URLS)
@pytest.mark.parametrize("query", ["programme=%00", "year=20%0023", "x%00=1", "q=a%00b"])
def test_a_nul_byte_in_the_query_is_a_danish_json_400(api, path, query):
    response = api.get(f"{path}?{query}")
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"detail": "Forespørgslen indeholder et ugyldigt tegn (NUL)."}


def test_401_says_how_to_authenticate(client, fred):
    response = client.get("/api/v1/indicators/")
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_every_status_the_api_answers_is_in_the_schema(client, fred):
    schema = client.get("/api/v1/openapi.json").json()
    for path in ("/indicators/", "/indicators/{id}/", "/metrics/{metric}/", "/goals/", "/quotas/"):
        responses = schema["paths"][path]["get"]["responses"]
        assert {"401", "403", "404", "500"} <= set(responses), path
        for status in ("401", "403", "404", "500"):
            content = responses[status]["content"]["application/json"]["schema"]
            assert content == {"$ref": "#/components/schemas/Error"}
    assert "400" in schema["paths"]["/metrics/{metric}/"]["get"]["responses"]
    assert schema["components"]["schemas"]["Error"]["required"] == ["detail"]
    assert schema["paths"]["/openapi.json"]["get"]["security"] == []


def test_the_index_and_schema_name_every_endpoint(client):
    index = client.get(reverse("api:index")).json()
    assert set(index["metrics"]) == set(api_metrics())


def test_a_session_that_must_log_in_again_gets_a_401_not_a_login_page(login, fred_coordinator):
    from apps.accounts.sessions import LAST_SEEN_KEY, LOGIN_AT_KEY

    client = login(fred_coordinator)
    session = client.session
    session[LOGIN_AT_KEY] = session[LAST_SEEN_KEY] = 1.0  # long ago
    session.save()
    response = client.get("/api/v1/indicators/")
    assert response.status_code == 401
    assert response.json() == {"detail": "Log ind eller brug en gyldig API-nøgle."}


def test_an_admin_owing_the_two_factor_step_gets_a_401(login, admin_user):
    response = login(admin_user, verified=False).get("/api/v1/indicators/")
    assert response.status_code == 401 and response["Content-Type"] == "application/json"


def test_a_missing_slash_still_redirects(api):
    response = api.get("/api/v1/indicators")
    assert response.status_code == 301 and response["Location"] == "/api/v1/indicators/"
