"""Security events on a user's account: who did it (the request's user), the audit entry and
the e-mail that tells the account's owner.

Rule: every change to how a person logs in (password, two-factor device) and every failed
two-factor code is audited — never the password or the code itself — and the owner is told
by e-mail, so a change they did not make does not go unnoticed.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Iterator
from contextvars import ContextVar

from django.conf import settings
from django.core.mail import EmailMessage
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core.audit import audit_record
from apps.core.formatting import format_datetime

logger = logging.getLogger(__name__)

_request_user: ContextVar[object | None] = ContextVar("request_user", default=None)


@contextlib.contextmanager
def acting_user(user) -> Iterator[None]:
    """Make `user` the actor of account events recorded while the block runs (a request)."""
    token = _request_user.set(user)
    try:
        yield
    finally:
        _request_user.reset(token)


def in_request() -> bool:
    """Whether a request is being handled (anonymous or logged in)."""
    return _request_user.get() is not None


def current_actor():
    """The logged-in user of the request being handled, or None (commands, tasks, tests)."""
    user = _request_user.get()
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    return user


def notify_owner(*, user, subject: str, lines: list[str]) -> bool:
    """E-mail the account's owner about a security event; False when they have no address.

    A mail server that is down must not block the change itself, so failures are logged.
    """
    if not user.email:
        return False
    moment = format_datetime(timezone.now())
    body = "\n\n".join(
        [
            _("Hej %(name)s") % {"name": user.get_full_name() or user.get_username()},
            *lines,
            _("Tidspunkt: %(moment)s") % {"moment": moment},
            _(
                "Hvis det ikke var dig, så kontakt straks en systemadministrator i din "
                "kommune, og skift din adgangskode."
            ),
            _("Venlig hilsen\nStrategiportalen\n%(url)s") % {"url": settings.PORTAL_BASE_URL},
        ]
    )
    try:
        EmailMessage(subject=subject, body=body, to=[user.email]).send()
    except Exception:  # noqa: BLE001 - the event is audited; the mail is best effort
        logger.exception("Could not send account security e-mail")
        return False
    return True


def password_changed_record(*, user) -> None:
    """Audit that `user`'s password was set (by themselves or an administrator) and tell them.

    Called from the password validators' `password_changed` hook, i.e. every time a new
    password is saved; a re-hash at login does not call it.
    """
    actor = current_actor()
    by_other = actor is not None and actor.pk != user.pk
    audit_record(
        actor=actor,
        action="accounts.user.password_changed",
        obj=user,
        context={"by_administrator": by_other},
        municipality_id=user.municipality_id,
    )
    if by_other:
        line = _("En administrator (%(admin)s) har sat en ny adgangskode til din konto.") % {
            "admin": actor.get_username()
        }
    else:
        line = _("Adgangskoden til din konto i Strategiportalen er blevet skiftet.")
    notify_owner(user=user, subject=_("Din adgangskode er skiftet"), lines=[line])


def device_enrolled_record(*, device, replaced: int) -> None:
    """Audit a newly confirmed two-factor device and tell its owner."""
    user = device.user
    audit_record(
        actor=current_actor() or user,
        action="accounts.totp.enrolled",
        obj=user,
        context={"device_id": device.pk, "device_name": device.name, "replaced": replaced},
        municipality_id=user.municipality_id,
    )
    notify_owner(
        user=user,
        subject=_("Totrinsbekræftelse er sat op på din konto"),
        lines=[
            _("En ny godkendelses-app er sat op til totrinsbekræftelse på din konto.")
            if not replaced
            else _(
                "En ny godkendelses-app er sat op til totrinsbekræftelse på din konto og "
                "har erstattet den tidligere."
            )
        ],
    )


def device_removed_record(*, device) -> None:
    """Audit that a confirmed two-factor device was removed and tell its owner."""
    user = device.user
    actor = current_actor()
    audit_record(
        actor=actor,
        action="accounts.totp.removed",
        obj=user,
        context={
            "device_id": device.pk,
            "device_name": device.name,
            "by_administrator": actor is not None and actor.pk != user.pk,
        },
        municipality_id=user.municipality_id,
    )
    notify_owner(
        user=user,
        subject=_("Totrinsbekræftelse er fjernet fra din konto"),
        lines=[
            _("Godkendelses-appen \u201d%(name)s\u201d er fjernet fra din konto.")
            % {"name": device.name}
        ],
    )


def code_failed_record(*, user, step: str, throttled: bool, notify: bool) -> None:
    """Audit a refused two-factor code (`step` is "verify" or "enrol"); with `notify` the
    owner is told that someone who knows the password entered a wrong code."""
    audit_record(
        actor=user,
        action="accounts.totp.code_failed",
        obj=user,
        context={"step": step, "throttled": throttled},
        municipality_id=user.municipality_id,
    )
    if notify:
        if step == "enrol":
            line = _(
                "Der er indtastet en forkert kode, mens en godkendelses-app blev sat op til "
                "totrinsbekræftelse på din konto."
            )
        else:
            line = _(
                "Nogen har logget ind med din adgangskode, men indtastet en forkert kode fra "
                "godkendelses-appen."
            )
        notify_owner(user=user, subject=_("Forkert kode ved login"), lines=[line])
