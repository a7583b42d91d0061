"""Login throttling, session lifetime, session keys on login and logout, deactivation."""

import time

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session

from apps.accounts.models import UserSession
from apps.accounts.sessions import LAST_SEEN_KEY, LOGIN_AT_KEY
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

LOGIN_URL = "/konto/log-ind/"
PROTECTED_URL = "/konto/adgangskode/"


def _post_login(client, username, password, ip):
    return client.post(LOGIN_URL, {"username": username, "password": password}, REMOTE_ADDR=ip)


def test_repeated_failures_lock_the_username_from_that_ip_with_a_danish_page(client, coordinator):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _post_login(client, "karin", "forkert", "10.0.0.1")
    response = _post_login(client, "karin", PASSWORD, "10.0.0.1")
    assert response.status_code == 429
    html = response.content.decode()
    assert "Midlertidigt spærret" in html
    assert f"Vent {settings.AXES_PAIR_COOLOFF_MINUTES} minutter" in html
    assert '<html lang="da">' in html
    assert "_auth_user_id" not in client.session


def test_a_lockout_does_not_lock_the_same_user_out_from_another_ip(client, coordinator):
    for _ in range(settings.AXES_FAILURE_LIMIT + 2):
        _post_login(client, "karin", "forkert", "10.0.0.1")
    response = _post_login(client, "karin", PASSWORD, "10.0.0.2")
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(coordinator.pk)


def test_behind_a_trusted_proxy_the_forwarded_client_address_is_throttled(
    client, coordinator, settings
):
    settings.TRUSTED_PROXY_COUNT = 1
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(
            LOGIN_URL,
            {"username": "karin", "password": "forkert"},
            REMOTE_ADDR="10.9.9.9",
            HTTP_X_FORWARDED_FOR="203.0.113.7",
        )
    locked = client.post(
        LOGIN_URL,
        {"username": "karin", "password": PASSWORD},
        REMOTE_ADDR="10.9.9.9",
        HTTP_X_FORWARDED_FOR="spoofed, 203.0.113.7",
    )
    assert locked.status_code == 429
    other_client = client.post(
        LOGIN_URL,
        {"username": "karin", "password": PASSWORD},
        REMOTE_ADDR="10.9.9.9",
        HTTP_X_FORWARDED_FOR="198.51.100.4",
    )
    assert other_client.status_code == 302


def test_login_issues_a_new_session_key(client, coordinator):
    client.get(LOGIN_URL)
    session = client.session
    session["before_login"] = True
    session.save()
    anonymous_key = session.session_key
    response = _post_login(client, "karin", PASSWORD, "10.0.0.1")
    assert response.status_code == 302
    assert client.session.session_key != anonymous_key
    assert not Session.objects.filter(session_key=anonymous_key).exists()


def test_logout_deletes_the_session_server_side(client, coordinator):
    _post_login(client, "karin", PASSWORD, "10.0.0.1")
    key = client.session.session_key
    assert UserSession.objects.filter(user=coordinator, session_key=key).exists()
    client.post("/konto/log-ud/")
    assert not Session.objects.filter(session_key=key).exists()
    assert not UserSession.objects.filter(session_key=key).exists()
    client.cookies[settings.SESSION_COOKIE_NAME] = key
    assert client.get(PROTECTED_URL).status_code == 302


def _age_session(client, *, login_ago: float, idle: float):
    session = client.session
    now = time.time()
    session[LOGIN_AT_KEY] = now - login_ago
    session[LAST_SEEN_KEY] = now - idle
    session.save()


def test_an_idle_session_is_logged_out(login, coordinator):
    client = login(coordinator)
    _age_session(client, login_ago=3600, idle=settings.SESSION_COOKIE_AGE + 5)
    response = client.get(PROTECTED_URL)
    assert response.status_code == 302
    assert response["Location"].startswith(LOGIN_URL)
    assert "_auth_user_id" not in client.session


def test_an_active_session_within_both_limits_stays_logged_in(login, coordinator):
    client = login(coordinator)
    _age_session(client, login_ago=settings.SESSION_ABSOLUTE_LIFETIME - 60, idle=60)
    assert client.get(PROTECTED_URL).status_code == 200


def test_a_session_older_than_the_absolute_lifetime_is_logged_out_even_when_active(
    login, coordinator
):
    client = login(coordinator)
    _age_session(client, login_ago=settings.SESSION_ABSOLUTE_LIFETIME + 5, idle=1)
    response = client.get(PROTECTED_URL)
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


def test_the_idle_timeout_defaults_to_30_minutes_and_the_lifetime_to_12_hours():
    assert settings.SESSION_COOKIE_AGE == 30 * 60
    assert settings.SESSION_ABSOLUTE_LIFETIME == 12 * 3600


def test_deactivating_a_user_ends_all_their_sessions(client, django_user_model, coordinator):
    from django.test import Client

    first, second = Client(), Client()
    _post_login(first, "karin", PASSWORD, "10.0.0.1")
    _post_login(second, "karin", PASSWORD, "10.0.0.2")
    keys = [first.session.session_key, second.session.session_key]
    assert Session.objects.filter(session_key__in=keys).count() == 2

    coordinator.is_active = False
    coordinator.save()

    assert not Session.objects.filter(session_key__in=keys).exists()
    assert first.get(PROTECTED_URL).status_code == 302
    assert second.get(PROTECTED_URL).status_code == 302


def test_deactivating_in_the_admin_ends_the_users_sessions(login, admin_user, coordinator):
    from django.test import Client

    theirs = Client()
    _post_login(theirs, "karin", PASSWORD, "10.0.0.3")
    key = theirs.session.session_key
    admin = login(admin_user)
    response = admin.post(
        f"/admin/accounts/user/{coordinator.pk}/change/",
        {
            "username": "karin",
            "first_name": coordinator.first_name,
            "last_name": coordinator.last_name,
            "email": coordinator.email,
            "role": coordinator.role,
            "municipality": coordinator.municipality_id,
            "date_joined_0": "2026-01-01",
            "date_joined_1": "08:00:00",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    coordinator.refresh_from_db()
    assert coordinator.is_active is False
    assert not Session.objects.filter(session_key=key).exists()


def test_a_user_deactivated_without_signals_is_logged_out_at_the_next_request(
    login, coordinator, django_user_model
):
    client = login(coordinator)
    django_user_model.objects.filter(pk=coordinator.pk).update(is_active=False)
    assert client.get(PROTECTED_URL).status_code == 302


def test_changing_the_password_ends_the_users_other_sessions(coordinator):
    from django.test import Client

    here, elsewhere = Client(), Client()
    _post_login(here, "karin", PASSWORD, "10.0.0.1")
    _post_login(elsewhere, "karin", PASSWORD, "10.0.0.2")
    response = here.post(
        PROTECTED_URL,
        {
            "old_password": PASSWORD,
            "new_password1": "Et-helt-nyt-kodeord-42",
            "new_password2": "Et-helt-nyt-kodeord-42",
        },
    )
    assert response.status_code == 302
    assert here.get(PROTECTED_URL).status_code == 200
    assert elsewhere.get(PROTECTED_URL).status_code == 302


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/"])
def test_login_never_redirects_to_another_site(client, coordinator, target):
    response = client.post(
        f"{LOGIN_URL}?next={target}", {"username": "karin", "password": PASSWORD, "next": target}
    )
    assert response.status_code == 302
    assert "evil.example" not in response["Location"]
