"""Two-factor login with a TOTP app (django-otp): who must use it and what a session still
needs before the portal opens.

Rules: a user who has a confirmed TOTP device must enter a code after the password;
administrators (role admin, staff or superuser) must enrol a device before they can reach
anything but enrolment, verification and logout (TOTP_REQUIRED_FOR_ADMINS, default on).
The state is decided once at login and kept in the session, so ordinary requests cost no
extra query.

Enrolment rule: a new device can be enrolled only by a user who has no confirmed device
(the enrolment step, or voluntary enrolment), or from a session already verified with an
existing device (or with MFA at the identity provider) — then the new device replaces the
old one. A password alone never lets anyone swap the device. The device being enrolled is
bound to the session that showed its key; unconfirmed devices grant nothing (django-otp's
middleware ignores them) and are deleted at the next login, after enrolment and after a day.
"""

from __future__ import annotations

import base64
import io
from datetime import timedelta

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY
from django.db import transaction
from django.utils import timezone
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from apps.accounts import account_events
from apps.core.roles import Role

STATE_KEY = "portal_otp_state"
STATE_NONE = "none"
STATE_VERIFY = "verify"
STATE_ENROL = "enrol"
# Passed with a device: holds only while that device exists (django-otp checks each request).
STATE_VERIFIED = "verified"
DEVICE_NAME = "Godkendelses-app"
# The unconfirmed device whose key this session showed (enrolment is bound to the session).
ENROL_DEVICE_KEY = "portal_otp_enrol_device"
# Set once this session has told the owner by e-mail about a wrong code (one mail per login).
FAILURE_MAILED_KEY = "portal_otp_failure_mailed"
UNCONFIRMED_MAX_AGE = timedelta(days=1)
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
    passed MFA at the identity provider owes none. Keys shown in earlier sessions but never
    confirmed are discarded, and so is everybody's stale unconfirmed device."""
    passed_mfa = getattr(user, "backend", "") == OIDC_BACKEND and request.session.get(
        OIDC_MFA_SESSION_KEY
    )
    unconfirmed_devices_purge(user=user)
    request.session.pop(ENROL_DEVICE_KEY, None)
    request.session.pop(FAILURE_MAILED_KEY, None)
    request.session[STATE_KEY] = STATE_NONE if passed_mfa else login_state(user)


def unconfirmed_devices_purge(*, user=None) -> int:
    """Delete `user`'s unconfirmed devices, and anyone's older than a day; returns the count.

    Rule: a device whose key was shown but never confirmed with a code grants nothing and
    is not kept.
    """
    stale = TOTPDevice.objects.filter(
        confirmed=False, created_at__lt=timezone.now() - UNCONFIRMED_MAX_AGE
    )
    deleted, _ = stale.delete()
    if user is not None:
        mine, _ = TOTPDevice.objects.filter(user=user, confirmed=False).delete()
        deleted += mine
    return deleted


def session_is_strong(request) -> bool:
    """The session passed a second factor: a code from a confirmed device, or MFA at the
    identity provider."""
    if request.user.is_verified():
        return True
    return bool(
        request.session.get(BACKEND_SESSION_KEY) == OIDC_BACKEND
        and request.session.get(OIDC_MFA_SESSION_KEY)
    )


def may_enrol(request) -> bool:
    """Whether this session may enrol a device: only when the user has no confirmed device,
    or the session is already verified (then the new device replaces the old)."""
    user = request.user
    if not user.is_authenticated:
        return False
    return session_is_strong(request) or confirmed_device(user) is None


def pending_step(request) -> str:
    """The step this session must pass before it may do anything else (or STATE_NONE)."""
    user = request.user
    if not user.is_authenticated or user.is_verified():
        return STATE_NONE
    state = request.session.get(STATE_KEY)
    if (
        state is None
        or state == STATE_VERIFIED
        or (state == STATE_ENROL and confirmed_device(user) is not None)
    ):
        # STATE_VERIFIED while the user is not verified: the device this session used was
        # since replaced or removed, so the step is owed again. A device confirmed meanwhile
        # (another session, an administrator) must be used instead of enrolling one.
        state = login_state(user)
        request.session[STATE_KEY] = state
    return state


def device_for_enrolment(*, request) -> TOTPDevice:
    """The unconfirmed device whose key this session shows (created once per session).

    Callers check `may_enrol` first.
    """
    user = request.user
    device_id = request.session.get(ENROL_DEVICE_KEY)
    device = None
    if device_id is not None:
        device = TOTPDevice.objects.filter(pk=device_id, user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=False)
        request.session[ENROL_DEVICE_KEY] = device.pk
    return device


def enrolment_confirm(*, request, device: TOTPDevice, token: str) -> bool:
    """Confirm `device` when `token` is a valid code from it; the session is then verified.

    Rules: a device counts only once the user has proved they hold its key; it is enrolled
    only while `may_enrol` holds (checked again under a lock on the user's devices); it
    replaces every other device of the user. Enrolment, replaced devices and failed codes
    are audited and the owner is told by e-mail.
    """
    user = request.user
    with transaction.atomic():
        devices = list(TOTPDevice.objects.select_for_update().filter(user=user).order_by("pk"))
        if not may_enrol(request) or device.pk not in {d.pk for d in devices}:
            return False
        throttled = not device.verify_is_allowed()[0]
        if not device.verify_token(token):
            account_events.code_failed_record(
                user=user,
                step=STATE_ENROL,
                throttled=throttled,
                notify=not request.session.get(FAILURE_MAILED_KEY),
            )
            request.session[FAILURE_MAILED_KEY] = True
            return False
        replaced = [d for d in devices if d.pk != device.pk and d.confirmed]
        for old in replaced:
            old.delete()  # audited and mailed by the post_delete receiver
        TOTPDevice.objects.filter(user=user, confirmed=False).exclude(pk=device.pk).delete()
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        account_events.device_enrolled_record(device=device, replaced=len(replaced))
    request.session.pop(ENROL_DEVICE_KEY, None)
    otp_login(request, device)
    request.session[STATE_KEY] = STATE_VERIFIED
    return True


def session_verify(*, request, token: str) -> bool:
    """Verify the logged-in user's code (throttled per device by django-otp); a wrong code
    is audited and, once per login, mailed to the owner."""
    user = request.user
    device = confirmed_device(user)
    if device is None:
        return False
    with transaction.atomic():
        throttled = not device.verify_is_allowed()[0]
        ok = device.verify_token(token)
        if not ok:
            notify = not request.session.get(FAILURE_MAILED_KEY)
            account_events.code_failed_record(
                user=user, step=STATE_VERIFY, throttled=throttled, notify=notify
            )
            request.session[FAILURE_MAILED_KEY] = True
    if ok:
        otp_login(request, device)
        request.session[STATE_KEY] = STATE_VERIFIED
    return ok


def qr_data_uri(text: str) -> str:
    """`text` as a QR code in an SVG data URI (allowed by the CSP's img-src)."""
    image = qrcode.make(text, image_factory=qrcode.image.svg.SvgPathImage, box_size=10)
    buffer = io.BytesIO()
    image.save(buffer)
    return "data:image/svg+xml;base64," + base64.b64encode(buffer.getvalue()).decode()
