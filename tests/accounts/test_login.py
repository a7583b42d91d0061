"""The Danish login page, logging in with a demo user, logout and the start page."""

import pytest

pytestmark = pytest.mark.django_db


def test_login_page_is_danish(client):
    response = client.get("/konto/log-ind/")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="da">' in html
    assert "Log ind" in html and "Brugernavn" in html and "Adgangskode" in html


def test_anonymous_users_are_sent_to_login(client):
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"].startswith("/konto/log-ind/")


def test_a_demo_user_can_log_in(demo, client):
    from apps.demo.organisation import demo_password

    response = client.post(
        "/konto/log-ind/", {"username": "koordinator", "password": demo_password()}, follow=True
    )
    assert response.status_code == 200
    assert response.context["user"].username == "koordinator"
    assert "Log ud" in response.content.decode()


def test_wrong_password_gives_a_danish_message(client, coordinator):
    response = client.post("/konto/log-ind/", {"username": "karin", "password": "forkert"})
    assert response.status_code == 200
    assert "Indtast venligst korrekt brugernavn og adgangskode" in response.content.decode()


def test_logout_ends_the_session(login, coordinator):
    client = login(coordinator)
    assert client.get("/konto/adgangskode/").status_code == 200
    client.post("/konto/log-ud/")
    assert client.get("/konto/adgangskode/").status_code == 302


def test_pages_carry_security_headers(client):
    response = client.get("/konto/log-ind/")
    assert response["Cache-Control"] == "no-store"
    assert "frame-ancestors 'none'" in response["Content-Security-Policy"]
    assert "unsafe-inline" not in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Correlation-ID"]
