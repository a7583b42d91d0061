"""Two-factor login with a TOTP app (django-otp): who must use it and what a session still
needs before the portal opens.

Rules: a user who has a confirmed TOTP device must enter a code after the password;
administrators (role admin, staff or superuser) must enrol a device before they can reach
anything but enrolment, verification and logout (TOTP_REQUIRED_FOR_ADMINS, default on).
The state is decided once at login and kept in the session, so ordinary requests cost no
extra query.
"""

from __future__ import annotations

import base64
import io

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.db import transaction
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from apps.core.roles import Role

STATE_KEY = "portal_otp_state"
STATE_NONE = "none"
STATE_VERIFY = "verify"
STATE_ENROL = "enrol"
DEVICE_NAME = "Godkendelses-app"
# Set by the Entra ID backend when the ID token says the user passed MFA at Microsoft.
OIDC_MFA_SESSION_KEY = "portal_oidc_mfa"
OIDC_BACKEND = "apps.accounts.oidc.EntraIdBackend"


def is_required(user) -> bool:
    """Administrators must use two-factor login."""
    if not getattr(settings, "TOTP_REQUIRED_FOR_ADMINS", True):
        return False
    return bool(user.is_superuser or user.is_staff or getattr(user, "role", "") == Role.ADMIN)


def confirmed_device(user) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()


def login_state(user) -> str:
    """What a freshly logged-in session still needs: nothing, a code, or an enrolment."""
    if confirmed_device(user) is not None:
        return STATE_VERIFY
    if is_required(user):
        return STATE_ENROL
    return STATE_NONE


def session_mark_login(*, request, user) -> None:
    """Decide the session's two-factor step at login; a single sign-on that already
    passed MFA at the identity provider owes none."""
    passed_mfa = getattr(user, "backend", "") == OIDC_BACKEND and request.session.get(
        OIDC_MFA_SESSION_KEY
    )
    request.session[STATE_KEY] = STATE_NONE if passed_mfa else login_state(user)


def pending_step(request) -> str:
    """The step this session must pass before it may do anything else (or STATE_NONE)."""
    user = request.user
    if not user.is_authenticated or user.is_verified():
        return STATE_NONE
    state = request.session.get(STATE_KEY)
    if state is None:
        state = login_state(user)
        request.session[STATE_KEY] = state
    return state


def device_for_enrolment(*, user) -> TOTPDevice:
    """The user's unconfirmed TOTP device (created once), whose key the enrolment page shows."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=False)
    return device


def enrolment_confirm(*, request, device: TOTPDevice, token: str) -> bool:
    """Confirm `device` when `token` is a valid code from it; the session is then verified.

    Rule: a device counts only once the user has proved they hold its key.
    """
    with transaction.atomic():
        if not device.verify_token(token):
            return False
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        TOTPDevice.objects.filter(user=device.user, confirmed=False).delete()
    otp_login(request, device)
    request.session[STATE_KEY] = STATE_NONE
    return True


def session_verify(*, request, token: str) -> bool:
    """Verify the logged-in user's code (throttled per device by django-otp)."""
    device = confirmed_device(request.user)
    if device is None:
        return False
    with transaction.atomic():
        ok = device.verify_token(token)
    if ok:
        otp_login(request, device)
        request.session[STATE_KEY] = STATE_NONE
    return ok


def qr_data_uri(text: str) -> str:
    """`text` as a QR code in an SVG data URI (allowed by the CSP's img-src)."""
    image = qrcode.make(text, image_factory=qrcode.image.svg.SvgPathImage, box_size=10)
    buffer = io.BytesIO()
    image.save(buffer)
    return "data:image/svg+xml;base64," + base64.b64encode(buffer.getvalue()).decode()
