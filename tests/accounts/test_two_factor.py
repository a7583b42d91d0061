"""Two-factor login with TOTP: enrolment, the code step after the password, admins held
back until verified. Codes are computed from the device's real key."""

import time

import pytest
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

LOGIN_URL = "/konto/log-ind/"
ENROL_URL = "/konto/totrin/opret/"
VERIFY_URL = "/konto/totrin/kode/"


def code_for(device: TOTPDevice, offset_steps: int = 0) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time() + offset_steps * device.step
    return f"{totp.token():06d}"


def password_login(client, username):
    return client.post(LOGIN_URL, {"username": username, "password": PASSWORD})


def test_an_admin_is_sent_to_enrolment_and_can_reach_nothing_else(client, admin_user):
    password_login(client, "anders")
    for url in ["/", "/admin/", "/konto/adgangskode/"]:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(ENROL_URL), url
    page = client.get(ENROL_URL)
    assert page.status_code == 200
    assert "Slå totrinsbekræftelse til" in page.content.decode()


def test_the_enrolment_page_shows_the_key_as_a_qr_code_image(client, admin_user):
    import base64

    password_login(client, "anders")
    page = client.get(ENROL_URL)
    uri = page.context["qr_code"]
    assert uri.startswith("data:image/svg+xml;base64,")
    assert b"<svg" in base64.b64decode(uri.split(",", 1)[1])
    assert f'src="{uri}"' in page.content.decode()


def test_an_admin_who_enrols_with_a_real_code_gets_in(client, admin_user):
    password_login(client, "anders")
    client.get(ENROL_URL)
    device = TOTPDevice.objects.get(user=admin_user, confirmed=False)
    response = client.post(ENROL_URL, {"token": code_for(device), "next": "/admin/"})
    assert response.status_code == 302
    assert response["Location"] == "/admin/"
    device.refresh_from_db()
    assert device.confirmed
    assert client.get("/admin/").status_code == 200


def test_a_wrong_enrolment_code_is_refused_in_danish(client, admin_user):
    password_login(client, "anders")
    client.get(ENROL_URL)
    device = TOTPDevice.objects.get(user=admin_user)
    wrong = code_for(device, offset_steps=50)
    response = client.post(ENROL_URL, {"token": wrong})
    assert response.status_code == 200
    assert "Koden passer ikke" in response.content.decode()
    device.refresh_from_db()
    assert not device.confirmed
    assert client.get("/admin/").status_code == 302


@pytest.fixture
def enrolled_device(admin_user):
    return TOTPDevice.objects.create(user=admin_user, name="telefon", confirmed=True)


def test_an_enrolled_admin_must_enter_a_code_after_the_password(client, enrolled_device):
    response = password_login(client, "anders")
    assert response.status_code == 302
    blocked = client.get("/admin/")
    assert blocked["Location"].startswith(VERIFY_URL)
    response = client.post(VERIFY_URL, {"token": code_for(enrolled_device), "next": "/admin/"})
    assert response["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200


def test_a_wrong_code_keeps_the_admin_out_and_is_throttled(client, enrolled_device):
    password_login(client, "anders")
    wrong = code_for(enrolled_device, offset_steps=50)
    response = client.post(VERIFY_URL, {"token": wrong})
    assert "Koden passer ikke" in response.content.decode()
    enrolled_device.refresh_from_db()
    assert enrolled_device.throttling_failure_count == 1
    # Even the right code is refused while the throttle delay runs.
    client.post(VERIFY_URL, {"token": code_for(enrolled_device)})
    assert client.get("/admin/").status_code == 302


def test_a_coordinator_without_a_device_is_not_asked_for_a_code(client, coordinator):
    password_login(client, "karin")
    assert client.get("/konto/adgangskode/").status_code == 200


def test_a_coordinator_who_enrolled_voluntarily_must_enter_a_code(client, coordinator):
    device = TOTPDevice.objects.create(user=coordinator, name="telefon", confirmed=True)
    password_login(client, "karin")
    assert client.get("/konto/adgangskode/")["Location"].startswith(VERIFY_URL)
    client.post(VERIFY_URL, {"token": code_for(device)})
    assert client.get("/konto/adgangskode/").status_code == 200


def test_the_login_fixture_gives_admins_a_verified_session(login, admin_user):
    assert login(admin_user).get("/admin/").status_code == 200


def test_the_login_fixture_can_leave_the_step_owed(login, admin_user):
    client = login(admin_user, verified=False)
    assert client.get("/admin/")["Location"].startswith(ENROL_URL)


def test_htmx_requests_are_redirected_with_hx_redirect(login, admin_user):
    client = login(admin_user, verified=False)
    response = client.get("/admin/", HTTP_HX_REQUEST="true")
    assert response["HX-Redirect"].startswith(ENROL_URL)
