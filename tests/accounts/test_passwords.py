"""Password rules with Danish messages in the user's own form and in the admin, and the
audit trail of every new password (who set whose, never the password itself)."""

import json

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core import mail
from django.core.exceptions import ValidationError

from apps.core.models import AuditEntry
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

CHANGE_URL = "/konto/adgangskode/"
GOOD = "Grøn-Kaffekop-Fredag-7"

# (password, a Danish message that must be shown)
WEAK = [
    ("aaaaaaaaaaaa", "mindst 5 forskellige tegn"),
    ("abababababab", "mindst 5 forskellige tegn"),
    ("Sommer2024!Sommer2024!", "den samme tegnfølge gentaget"),
    ("password1234", "Denne adgangskode er for almindelig."),
    ("qwertyuiop12", "Denne adgangskode er for almindelig."),
    ("kort-1A", "Denne adgangskode er for kort. Den skal indeholde mindst 12 tegn."),
    ("839201746352", "Denne adgangskode er udelukkende numerisk."),
    ("karin.karinsen", "Din adgangskode minder for meget om"),
]


@pytest.mark.parametrize(("password", "message"), WEAK)
def test_weak_passwords_are_refused_in_danish_in_the_password_form(
    login, coordinator, password, message
):
    coordinator.last_name = "Karinsen"
    coordinator.save()
    client = login(coordinator)
    response = client.post(
        CHANGE_URL,
        {"old_password": PASSWORD, "new_password1": password, "new_password2": password},
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    coordinator.refresh_from_db()
    assert coordinator.check_password(PASSWORD)
    assert not AuditEntry.objects.filter(action="accounts.user.password_changed").exists()


@pytest.mark.parametrize(("password", "message"), WEAK)
def test_weak_passwords_are_refused_in_danish_in_the_admin(
    login, admin_user, coordinator, password, message
):
    coordinator.last_name = "Karinsen"
    coordinator.save()
    client = login(admin_user)
    response = client.post(
        f"/admin/accounts/user/{coordinator.pk}/password/",
        {"password1": password, "password2": password, "usable_password": "true"},
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    coordinator.refresh_from_db()
    assert coordinator.check_password(PASSWORD)


def test_a_good_password_passes_every_validator(coordinator):
    validate_password(GOOD, user=coordinator)
    with pytest.raises(ValidationError):
        validate_password("aaaaaaaaaaaa", user=coordinator)


def test_an_own_password_change_is_audited_and_mailed_without_the_password(login, coordinator):
    client = login(coordinator)
    response = client.post(
        CHANGE_URL, {"old_password": PASSWORD, "new_password1": GOOD, "new_password2": GOOD}
    )
    assert response.status_code == 302
    entry = AuditEntry.objects.get(action="accounts.user.password_changed")
    assert entry.actor == coordinator
    assert entry.object_id == str(coordinator.pk)
    assert entry.context == {"by_administrator": False}
    assert entry.occurred_at is not None
    stored = json.dumps([entry.changes, entry.context, entry.object_repr])
    assert GOOD not in stored and PASSWORD not in stored
    (message,) = mail.outbox
    assert message.to == [coordinator.email]
    assert message.subject == "Din adgangskode er skiftet"
    assert GOOD not in message.body


def test_a_password_set_by_an_admin_is_audited_with_both_people(login, admin_user, coordinator):
    client = login(admin_user)
    response = client.post(
        f"/admin/accounts/user/{coordinator.pk}/password/",
        {"password1": GOOD, "password2": GOOD, "usable_password": "true"},
    )
    assert response.status_code == 302
    coordinator.refresh_from_db()
    assert coordinator.check_password(GOOD)
    entry = AuditEntry.objects.get(action="accounts.user.password_changed")
    assert entry.actor == admin_user
    assert entry.object_id == str(coordinator.pk)
    assert entry.context == {"by_administrator": True}
    assert GOOD not in json.dumps([entry.changes, entry.context])
    (message,) = mail.outbox
    assert message.to == [coordinator.email]
    assert admin_user.username in message.body


def test_a_login_is_not_recorded_as_a_password_change(client, coordinator):
    client.post("/konto/log-ind/", {"username": "karin", "password": PASSWORD})
    assert "_auth_user_id" in client.session
    assert not AuditEntry.objects.filter(action="accounts.user.password_changed").exists()
