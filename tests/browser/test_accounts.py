"""Login, start page per role, password change and the error page, in a real browser."""

import datetime
import re

import pytest
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from tests.browser.helpers import (
    assert_accessible,
    assert_error_described,
    assert_focus_visible,
    log_in,
    tab_to,
    totp_now,
)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]

NEW_PASSWORD = "Nyt-langt-kodeord-2026"
NEW_LABEL = re.compile(r"^\s*Ny adgangskode")


def test_login_page_is_danish_accessible_and_works_with_the_keyboard_alone(
    anonymous_page, coordinator, password
):
    page = anonymous_page
    page.goto("/konto/adgangskode/")
    expect(page).to_have_url(re.compile(r"/konto/log-ind/\?next=/konto/adgangskode/$"))
    expect(page.locator("html")).to_have_attribute("lang", "da")
    expect(page).to_have_title(re.compile("Log ind"))
    assert_accessible(page)

    # The username field has focus on arrival; above it are the brand link and, first on
    # the page, the skip link, which becomes visible on focus and leads to the content.
    expect(page.get_by_label("Brugernavn")).to_be_focused()
    skip = page.get_by_role("link", name="Gå til indhold")
    order = tab_to(page, skip, backwards=True)
    assert len(order) == 2, order
    expect(skip).to_be_visible()
    page.keyboard.press("Enter")
    expect(page.locator("main")).to_be_focused()

    tab_to(page, page.get_by_label("Brugernavn"))
    page.keyboard.type(coordinator.username)
    page.keyboard.press("Tab")
    expect(page.get_by_label("Adgangskode")).to_be_focused()
    page.keyboard.type(password)
    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="Log ind")).to_be_focused()
    assert_focus_visible(page)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile("/konto/adgangskode/(#main)?$"))
    expect(page.get_by_role("button", name=re.compile(coordinator.get_full_name()))).to_be_visible()


def test_a_wrong_password_is_announced_and_the_page_stays_accessible(anonymous_page, coordinator):
    page = anonymous_page
    page.goto("/konto/log-ind/")
    page.get_by_label("Brugernavn").fill(coordinator.username)
    page.get_by_label("Adgangskode").fill("forkert-kodeord")
    with page.expect_navigation():
        page.get_by_role("button", name="Log ind").click()
    alert = page.get_by_role("alert")
    expect(alert).to_contain_text("korrekt brugernavn og adgangskode")
    expect(page).to_have_url(re.compile("/konto/log-ind/"))
    assert_accessible(page)


def test_an_administrator_must_enrol_an_authenticator_app_and_a_wrong_code_is_announced(
    page_for, admin_user
):
    page = page_for(admin_user)
    expect(page).to_have_url(re.compile("/konto/totrin/opret/"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Slå totrinsbekræftelse til")
    assert_accessible(page)

    code_field = page.get_by_label("Kode fra godkendelses-appen")
    expect(code_field).to_be_focused()
    page.keyboard.type("000000" if totp_now(page) != "000000" else "111111")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(code_field).to_have_attribute("aria-invalid", "true")
    assert_error_described(page, code_field, "Koden passer ikke")
    assert_accessible(page)

    # django-otp throttles a device for a second after a wrong code. A person waits that
    # second before retrying; the test moves the failure a few seconds back instead of
    # sleeping, so the retry never depends on how fast a loaded machine runs.
    TOTPDevice.objects.filter(user=admin_user).update(
        throttling_failure_timestamp=timezone.now() - datetime.timedelta(seconds=5)
    )
    code_field.fill(totp_now(page))
    with page.expect_navigation():
        page.get_by_role("button", name="Bekræft").click()
    expect(page).not_to_have_url(re.compile("/konto/totrin/"))
    assert_accessible(page)


def test_password_change_shows_errors_at_their_field_and_the_new_password_works(
    page_for, coordinator, password
):
    page = page_for(coordinator)
    page.get_by_role("button", name=re.compile("Uddannelseskonsulent")).click()
    page.get_by_role("link", name="Skift adgangskode").click()
    expect(page.get_by_role("heading", level=1, name="Skift adgangskode")).to_be_visible()
    assert_accessible(page)

    page.get_by_label("Gammel adgangskode").fill(password)
    page.get_by_label(NEW_LABEL).fill(NEW_PASSWORD)
    page.get_by_label("Bekræftelse af ny adgangskode").fill(NEW_PASSWORD + "x")
    with page.expect_navigation():
        page.get_by_role("button", name="Skift adgangskode").click()

    confirmation = page.get_by_label("Bekræftelse af ny adgangskode")
    expect(confirmation).to_have_attribute("aria-invalid", "true")
    # The error is tied to its field, so a screen reader reads it with the field.
    assert_error_described(page, confirmation, "ikke identiske")
    assert_accessible(page)

    page.get_by_label("Gammel adgangskode").fill(password)
    page.get_by_label(NEW_LABEL).fill(NEW_PASSWORD)
    confirmation.fill(NEW_PASSWORD)
    with page.expect_navigation():
        page.get_by_role("button", name="Skift adgangskode").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Adgangskoden er skiftet")
    assert_accessible(page)

    page.get_by_role("button", name=re.compile("Uddannelseskonsulent")).click()
    with page.expect_navigation():
        page.get_by_role("button", name="Log ud").click()
    expect(page).to_have_url(re.compile("/konto/log-ind/"))
    log_in(page, coordinator.username, NEW_PASSWORD)


def test_an_unknown_address_gives_an_accessible_danish_not_found_page(page_for, watcher, hr):
    page = page_for(hr)
    with watcher.allow(r"status of 404"):
        response = page.goto("/findes-ikke/")
    assert response.status == 404
    expect(page.get_by_role("heading", level=1)).to_have_text("Siden blev ikke fundet")
    expect(page.get_by_role("link", name="Til forsiden")).to_be_visible()
    assert_accessible(page)


def test_a_page_the_role_may_not_use_gives_an_accessible_danish_403(page_for, watcher, leader):
    page = page_for(leader)
    with watcher.allow(r"status of 403"):
        response = page.goto("/import/")
    assert response.status == 403
    expect(page.get_by_role("heading", level=1)).to_have_text("Du har ikke adgang")
    expect(page.get_by_role("link", name="Til forsiden")).to_be_visible()
    assert_accessible(page)
