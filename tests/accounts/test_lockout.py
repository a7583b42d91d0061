"""The login lock-out's two limits: a username + IP pair, and a username from any IP (with
an alert when that starts)."""

import logging

import pytest
from django.core import mail

from apps.core.models import AuditEntry
from apps.core.roles import Role
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

LOGIN_URL = "/konto/log-ind/"


@pytest.fixture(autouse=True)
def limits(settings):
    settings.AXES_FAILURE_LIMIT = 3
    settings.AXES_USERNAME_FAILURE_LIMIT = 6
    settings.AXES_PAIR_COOLOFF_MINUTES = 15
    settings.AXES_USERNAME_COOLOFF_MINUTES = 60
    settings.ADMINS = ["drift@kommune.example"]
    return settings


def _login(client, username, password, ip):
    client.logout()
    return client.post(LOGIN_URL, {"username": username, "password": password}, REMOTE_ADDR=ip)


def test_a_username_is_locked_after_its_limit_even_from_rotating_ips(
    client, coordinator, municipality, limits, caplog
):
    UserFactory(username="alma", role=Role.ADMIN, municipality=municipality, email="alma@k.dk")
    limit = limits.AXES_USERNAME_FAILURE_LIMIT
    for i in range(limit):
        response = _login(client, "karin", "forkert", f"198.51.100.{i + 1}")
        # No single address reaches its own limit; the failure that reaches the
        # username's limit is already answered with the lock-out page.
        assert response.status_code == (429 if i == limit - 1 else 200), i
    with caplog.at_level(logging.WARNING, logger="apps.accounts.lockout"):
        locked = _login(client, "karin", PASSWORD, "203.0.113.99")
    assert locked.status_code == 429
    html = locked.content.decode()
    assert "på dette brugernavn" in html
    assert "spærret i 60 minutter" in html
    assert "_auth_user_id" not in client.session
    entry = AuditEntry.objects.get(action="accounts.login.username_locked")
    assert entry.object_id == str(coordinator.pk)
    assert entry.context["failures"] == limits.AXES_USERNAME_FAILURE_LIMIT
    assert entry.context["addresses"] == limits.AXES_USERNAME_FAILURE_LIMIT
    recipients = sorted(address for message in mail.outbox for address in message.to)
    assert recipients == ["alma@k.dk", "drift@kommune.example"]
    assert all("karin" in message.subject for message in mail.outbox)


def test_the_alert_is_sent_once_per_lock(client, coordinator, limits, caplog):
    with caplog.at_level(logging.WARNING, logger="apps.accounts.lockout"):
        for i in range(limits.AXES_USERNAME_FAILURE_LIMIT + 3):
            _login(client, "karin", "forkert", f"198.51.100.{i + 1}")
    assert AuditEntry.objects.filter(action="accounts.login.username_locked").count() == 1
    warnings = [r for r in caplog.records if r.name == "apps.accounts.lockout"]
    assert len(warnings) == 1 and warnings[0].levelno == logging.WARNING


def test_below_the_username_limit_the_user_still_gets_in_from_another_ip(
    client, coordinator, limits
):
    for i in range(limits.AXES_USERNAME_FAILURE_LIMIT - 1):
        _login(client, "karin", "forkert", f"198.51.100.{i + 1}")
    response = _login(client, "karin", PASSWORD, "203.0.113.99")
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(coordinator.pk)


def test_a_colleague_behind_the_same_ip_is_not_locked_out(client, coordinator, leader, limits):
    for _ in range(limits.AXES_FAILURE_LIMIT + 1):
        _login(client, "karin", "forkert", "10.0.0.1")
    assert _login(client, "karin", PASSWORD, "10.0.0.1").status_code == 429
    response = _login(client, "lars", PASSWORD, "10.0.0.1")
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(leader.pk)
    assert not AuditEntry.objects.filter(action="accounts.login.username_locked").exists()


def test_the_pair_lock_shows_the_pair_cool_off(client, coordinator, limits):
    for _ in range(limits.AXES_FAILURE_LIMIT):
        _login(client, "karin", "forkert", "10.0.0.1")
    html = _login(client, "karin", PASSWORD, "10.0.0.1").content.decode()
    assert "fra denne computer" in html
    assert "Vent 15 minutter" in html
