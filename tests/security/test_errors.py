"""Generic Danish error pages with a correlation id, and failed requests write nothing."""

import pytest

from apps.organisation.models import Municipality
from tests.security.urls import SECRET_MESSAGE

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.security.urls")]


@pytest.fixture
def quiet_client(client):
    client.raise_request_exception = False
    return client


def test_an_exception_gives_the_danish_500_page_with_a_correlation_id_and_no_traceback(
    quiet_client, settings
):
    assert settings.DEBUG is False
    response = quiet_client.get("/test/boom/")
    assert response.status_code == 500
    html = response.content.decode()
    correlation_id = response["X-Correlation-ID"]
    assert "Der opstod en fejl" in html
    assert f"<code>{correlation_id}</code>" in html
    assert SECRET_MESSAGE not in html
    assert "Traceback" not in html and "RuntimeError" not in html
    assert '<html lang="da">' in html


def test_the_correlation_id_is_written_to_the_error_log(quiet_client, caplog):
    response = quiet_client.get("/test/boom/")
    records = [r for r in caplog.records if r.name == "django.request"]
    assert records and records[-1].correlation_id == response["X-Correlation-ID"]


def test_a_request_that_writes_and_then_fails_leaves_nothing_written(quiet_client):
    assert quiet_client.get("/test/write-then-boom/").status_code == 500
    assert not Municipality.objects.filter(code=999).exists()


def test_not_found_is_a_danish_page(client):
    response = client.get("/findes-ikke/")
    assert response.status_code == 404
    assert "Siden blev ikke fundet" in response.content.decode()


def test_a_form_without_a_csrf_token_gets_a_danish_page(coordinator):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    response = client.post("/konto/log-ind/", {"username": "karin", "password": "x"})
    assert response.status_code == 403
    html = response.content.decode()
    assert "Formularen er udløbet" in html and "CSRF verification failed" not in html


def test_when_the_error_page_itself_fails_a_plain_danish_page_is_served(quiet_client, monkeypatch):
    from apps.core import views

    def broken_render(*args, **kwargs):
        raise RuntimeError("template engine down")

    monkeypatch.setattr(views, "render", broken_render)
    response = quiet_client.get("/test/boom/")
    assert response.status_code == 500
    html = response.content.decode()
    assert "Der opstod en fejl" in html and response["X-Correlation-ID"] in html
    assert SECRET_MESSAGE not in html and "template engine down" not in html
