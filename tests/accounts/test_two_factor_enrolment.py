"""Who may enrol a two-factor device, and the trail every device change leaves: a password
alone never swaps the device, a verified session replaces it, every enrolment, removal and
wrong code is audited and mailed, leftover unconfirmed devices grant nothing."""

import json

import pytest
from django.core import mail
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from apps.core.models import AuditEntry
from apps.core.roles import Role
from tests.accounts.test_two_factor import ENROL_URL, VERIFY_URL, code_for, password_login
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def enrolled_device(admin_user):
    return TOTPDevice.objects.create(user=admin_user, name="telefon", confirmed=True)


def test_a_password_alone_cannot_enrol_a_device_when_one_is_confirmed(client, enrolled_device):
    password_login(client, "anders")
    page = client.get(ENROL_URL)
    assert page.status_code == 302
    assert page["Location"].startswith(VERIFY_URL)
    # No key is shown and no device is created for the intruder to scan.
    assert TOTPDevice.objects.filter(user=enrolled_device.user).count() == 1
    attempt = client.post(ENROL_URL, {"token": "123456", "next": "/admin/"})
    assert attempt["Location"].startswith(VERIFY_URL)
    assert list(TOTPDevice.objects.filter(user=enrolled_device.user)) == [enrolled_device]
    assert client.get("/admin/")["Location"].startswith(VERIFY_URL)


def test_a_key_shown_before_a_device_was_confirmed_elsewhere_cannot_be_used(client, admin_user):
    password_login(client, "anders")
    client.get(ENROL_URL)
    pending = TOTPDevice.objects.get(user=admin_user, confirmed=False)
    TOTPDevice.objects.create(user=admin_user, name="telefon", confirmed=True)
    response = client.post(ENROL_URL, {"token": code_for(pending)})
    assert response["Location"].startswith(VERIFY_URL)
    pending.refresh_from_db()
    assert not pending.confirmed
    assert client.get("/")["Location"].startswith(VERIFY_URL)


def test_a_verified_session_replaces_the_device_and_the_owner_is_told(client, enrolled_device):
    admin = enrolled_device.user
    password_login(client, "anders")
    client.post(VERIFY_URL, {"token": code_for(enrolled_device)})
    mail.outbox.clear()
    page = client.get(ENROL_URL)
    assert page.status_code == 200
    assert "afløser den gamle" in page.content.decode()
    new = TOTPDevice.objects.get(user=admin, confirmed=False)
    response = client.post(ENROL_URL, {"token": code_for(new), "next": "/admin/"})
    assert response["Location"] == "/admin/"
    assert list(TOTPDevice.objects.filter(user=admin)) == [new]
    new.refresh_from_db()
    assert new.confirmed
    actions = list(
        AuditEntry.objects.filter(object_id=str(admin.pk)).values_list("action", flat=True)
    )
    assert "accounts.totp.removed" in actions
    assert "accounts.totp.enrolled" in actions
    assert {m.to[0] for m in mail.outbox} == {admin.email}
    assert len(mail.outbox) == 2
    assert client.get("/admin/").status_code == 200


def test_the_first_enrolment_is_audited_and_mailed_in_danish(client, admin_user):
    password_login(client, "anders")
    client.get(ENROL_URL)
    device = TOTPDevice.objects.get(user=admin_user, confirmed=False)
    client.post(ENROL_URL, {"token": code_for(device)})
    entry = AuditEntry.objects.get(action="accounts.totp.enrolled")
    assert entry.actor == admin_user
    assert entry.context["replaced"] == 0
    (message,) = mail.outbox
    assert message.to == [admin_user.email]
    assert message.subject == "Totrinsbekræftelse er sat op på din konto"
    assert "Hvis det ikke var dig" in message.body


def test_wrong_codes_are_audited_and_the_owner_mailed_once_per_login(client, enrolled_device):
    admin = enrolled_device.user
    password_login(client, "anders")
    wrong = code_for(enrolled_device, offset_steps=50)
    client.post(VERIFY_URL, {"token": wrong})
    client.post(VERIFY_URL, {"token": wrong})
    failures = AuditEntry.objects.filter(action="accounts.totp.code_failed", actor=admin)
    assert failures.count() == 2
    assert [f.context["step"] for f in failures] == ["verify", "verify"]
    assert wrong not in json.dumps([f.context for f in failures])
    (message,) = mail.outbox
    assert message.subject == "Forkert kode ved login"


def test_wrong_enrolment_codes_are_audited_and_mailed_once(client, admin_user):
    password_login(client, "anders")
    client.get(ENROL_URL)
    device = TOTPDevice.objects.get(user=admin_user, confirmed=False)
    client.post(ENROL_URL, {"token": code_for(device, offset_steps=50)})
    client.post(ENROL_URL, {"token": code_for(device, offset_steps=60)})
    entries = AuditEntry.objects.filter(action="accounts.totp.code_failed")
    assert [e.context["step"] for e in entries] == ["enrol", "enrol"]
    (message,) = mail.outbox
    assert "mens en godkendelses-app blev sat op" in message.body


def test_an_unconfirmed_device_in_the_session_grants_nothing(client, admin_user):
    password_login(client, "anders")
    client.get(ENROL_URL)
    pending = TOTPDevice.objects.get(user=admin_user, confirmed=False)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = pending.persistent_id
    session.save()
    assert client.get("/admin/")["Location"].startswith(ENROL_URL)


def test_unconfirmed_devices_are_deleted_at_the_next_login(client, admin_user):
    password_login(client, "anders")
    client.get(ENROL_URL)
    assert TOTPDevice.objects.filter(user=admin_user, confirmed=False).exists()
    client.post("/konto/log-ud/")
    password_login(client, "anders")
    assert not TOTPDevice.objects.filter(user=admin_user).exists()


def test_each_login_shows_a_new_key(client, admin_user):
    password_login(client, "anders")
    first = client.get(ENROL_URL).context["config_url"]
    assert client.get(ENROL_URL).context["config_url"] == first
    client.post("/konto/log-ud/")
    password_login(client, "anders")
    assert client.get(ENROL_URL).context["config_url"] != first


def test_an_admin_deleting_someones_device_in_the_admin_is_audited_and_mailed(
    login, admin_user, municipality
):
    colleague = UserFactory(
        username="berit", role=Role.COORDINATOR, municipality=municipality, email="berit@k.dk"
    )
    device = TOTPDevice.objects.create(user=colleague, name="telefon", confirmed=True)
    client = login(admin_user)
    mail.outbox.clear()
    response = client.post(f"/admin/core/twofactordevice/{device.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(pk=device.pk).exists()
    entry = AuditEntry.objects.get(action="accounts.totp.removed")
    assert entry.actor == admin_user
    assert entry.object_id == str(colleague.pk)
    assert entry.context["by_administrator"] is True
    (message,) = mail.outbox
    assert message.to == ["berit@k.dk"]
    assert message.subject == "Totrinsbekræftelse er fjernet fra din konto"


def test_other_sessions_verified_with_a_replaced_device_must_verify_again(client, enrolled_device):
    from django.test import Client

    other = Client()
    password_login(other, "anders")
    other.post(VERIFY_URL, {"token": code_for(enrolled_device)})
    assert other.get("/admin/").status_code == 200

    # The same admin, in another browser, verifies (with the next time step's code, as a
    # code is accepted once) and replaces the device.
    password_login(client, "anders")
    enrolled_device.refresh_from_db()
    client.post(VERIFY_URL, {"token": code_for(enrolled_device, offset_steps=1)})
    client.get(ENROL_URL)
    new = TOTPDevice.objects.get(user=enrolled_device.user, confirmed=False)
    client.post(ENROL_URL, {"token": code_for(new)})
    assert client.get("/admin/").status_code == 200

    assert other.get("/admin/")["Location"].startswith(VERIFY_URL)


def test_a_session_whose_device_an_admin_deleted_owes_the_step_again(login, enrolled_device):
    client = login(enrolled_device.user, verified=False)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = enrolled_device.persistent_id
    session["portal_otp_state"] = "verified"
    session.save()
    assert client.get("/admin/").status_code == 200
    enrolled_device.delete()
    assert client.get("/admin/")["Location"].startswith(ENROL_URL)


def test_an_admin_cannot_add_a_device_for_someone_in_the_admin(login, admin_user, coordinator):
    # Only the owner enrols a device (with a code from it); an admin may only delete one.
    client = login(admin_user)
    response = client.post(
        "/admin/core/twofactordevice/add/",
        {"user": coordinator.pk, "name": "telefon", "confirmed": "on"},
    )
    assert response.status_code == 403
    assert not TOTPDevice.objects.filter(user=coordinator).exists()
    assert not AuditEntry.objects.filter(action="accounts.totp.enrolled").exists()
