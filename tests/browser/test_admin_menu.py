"""A municipality's admin sees a short, Danish admin whose menu entries fit on one line at
1440 px (the width the municipalities' laptops run at)."""

import pytest
from django.conf import settings

from apps.core.roles import Role
from tests.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Every link in the admin's side menu and app list that takes more than one line box.
WRAPPED = """() => {
  const links = Array.from(document.querySelectorAll(
    '#nav-sidebar th a, #nav-sidebar caption a, #nav-sidebar td a,'
    + ' #content-main .module th a, #content-main .module caption a, #user-tools a'))
    .filter((a) => a.getClientRects().length > 0);
  return {checked: links.length,
          wrapped: links.filter((a) => a.getClientRects().length > 1)
                        .map((a) => a.textContent.trim())};
}"""


def _admin_page(page_for, user):
    """Logged in through the form; the two-factor step is marked passed in the server-side
    session (the step itself is tested in test_accounts.py)."""
    from importlib import import_module

    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from apps.accounts import two_factor

    device = TOTPDevice.objects.create(user=user, name="telefon", confirmed=True)
    page = page_for(user)
    cookie = next(c for c in page.context.cookies() if c["name"] == settings.SESSION_COOKIE_NAME)
    session = import_module(settings.SESSION_ENGINE).SessionStore(session_key=cookie["value"])
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session[two_factor.STATE_KEY] = two_factor.STATE_NONE
    session.save()
    page.set_viewport_size({"width": 1440, "height": 900})
    return page


def test_a_municipality_admins_menu_is_danish_and_does_not_wrap_at_1440px(page_for, municipality):
    admin = UserFactory(role=Role.ADMIN, municipality=municipality, is_staff=True)
    page = _admin_page(page_for, admin)
    for url in ("/admin/", "/admin/trainees/trainee/"):
        page.goto(url)
        menu = page.evaluate(WRAPPED)
        assert menu["checked"] > 20 and menu["wrapped"] == [], (url, menu)
    assert page.locator("#nav-sidebar").is_visible()
    text = page.locator("#nav-sidebar").inner_text()
    assert "To-faktor-enheder" in text and "Login-spærringer" in text
    for english in ("Access", "TOTP device", "Task Result", "Axes", "Otp_Totp"):
        assert english not in text
    # The measurement sees a wrap when there is one: squeeze the side menu.
    page.evaluate(
        "() => { const s = document.querySelector('#nav-sidebar').style;"
        " s.flex = '0 0 140px'; s.width = s.maxWidth = '140px'; }"
    )
    assert page.evaluate(WRAPPED)["wrapped"] != []
