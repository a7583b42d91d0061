"""Login lock-out with two limits (a django-axes handler).

Rules:
- a username + IP pair is locked after AXES_FAILURE_LIMIT failures, for
  AXES_PAIR_COOLOFF_MINUTES after the last one; other people behind the same NAT or proxy
  (other usernames) are never affected;
- a username is locked from every IP after AXES_USERNAME_FAILURE_LIMIT failures in all,
  for AXES_USERNAME_COOLOFF_MINUTES after the last one, so guessing spread over many
  addresses is bounded too;
- axes keeps one record per username + IP + user agent with the time of its last failure;
  a record counts while that last failure lies inside the window, so failures spaced less
  than the window apart add up;
- while locked, further failures are still counted and push the lock's end further out;
- when a username's lock starts, a WARNING is logged, the municipality's administrators
  and ADMIN_EMAILS are e-mailed and the event is audited (`accounts.login.username_locked`).
"""

from __future__ import annotations

import logging
from datetime import timedelta

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMessage, mail_admins
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core.audit import audit_record
from apps.core.roles import Role

logger = logging.getLogger(__name__)


def _failures(queryset) -> int:
    return queryset.aggregate(total=Sum("failures_since_start"))["total"] or 0


def _now(request):
    return getattr(request, "axes_attempt_time", None) or timezone.now()


def username_failures(*, username: str, now) -> int:
    """Failures for `username` from any address within the username window."""
    window = timedelta(minutes=settings.AXES_USERNAME_COOLOFF_MINUTES)
    recent = AccessAttempt.objects.filter(username=username, attempt_time__gte=now - window)
    return _failures(recent)


def pair_failures(*, username: str, ip_address: str, now) -> int:
    """Failures for `username` from `ip_address` within the pair window."""
    window = timedelta(minutes=settings.AXES_PAIR_COOLOFF_MINUTES)
    return _failures(
        AccessAttempt.objects.filter(
            username=username, ip_address=ip_address, attempt_time__gte=now - window
        )
    )


class PortalAxesHandler(AxesDatabaseHandler):
    """django-axes' database handler with a per-username limit on top of the per-pair one."""

    def get_failures(self, request, credentials: dict | None = None) -> int:
        # Axes compares the result with AXES_FAILURE_LIMIT: a locked username counts as a
        # full pair limit whatever the address.
        username = get_client_username(request, credentials)
        now = _now(request)
        pair = pair_failures(username=username, ip_address=request.axes_ip_address, now=now)
        request.portal_lockout_minutes = settings.AXES_PAIR_COOLOFF_MINUTES
        if username is not None:
            total = username_failures(username=username, now=now)
            if total >= settings.AXES_USERNAME_FAILURE_LIMIT:
                request.portal_lockout_minutes = settings.AXES_USERNAME_COOLOFF_MINUTES
                request.portal_lockout_username = True
                return max(pair, settings.AXES_FAILURE_LIMIT)
        return pair

    def user_login_failed(self, sender, credentials: dict, request=None, **kwargs):
        if request is None:
            return super().user_login_failed(sender, credentials, request=request, **kwargs)
        username = get_client_username(request, credentials)
        before = username_failures(username=username, now=_now(request)) if username else 0
        super().user_login_failed(sender, credentials, request=request, **kwargs)
        if not username:
            return
        after = username_failures(username=username, now=_now(request))
        limit = settings.AXES_USERNAME_FAILURE_LIMIT
        if before < limit <= after:
            username_locked_alert(username=username, request=request, failures=after)


def username_locked_alert(*, username: str, request, failures: int) -> None:
    """Tell operators that `username` is now locked from every address: WARNING log, e-mail
    to the municipality's administrators and ADMIN_EMAILS, and an audit entry."""
    addresses = (
        AccessAttempt.objects.filter(username=username).values("ip_address").distinct().count()
    )
    logger.warning(
        "Login for username %r locked from every address after %d failures from %d addresses",
        username,
        failures,
        addresses,
    )
    user = get_user_model().objects.filter(username=username).first()
    audit_record(
        actor=None,
        action="accounts.login.username_locked",
        obj=user,
        context={
            "username": username,
            "failures": failures,
            "addresses": addresses,
            "minutes": settings.AXES_USERNAME_COOLOFF_MINUTES,
        },
        municipality_id=user.municipality_id if user else None,
    )
    subject = _("Brugernavnet %(username)s er spærret efter mange forkerte log ind") % {
        "username": username
    }
    body = _(
        "Der er forsøgt logget ind %(failures)d gange med forkert adgangskode på brugernavnet "
        "%(username)s fra %(addresses)d forskellige adresser. Brugernavnet er spærret for log "
        "ind fra alle adresser i %(minutes)d minutter efter sidste forsøg.\n\nDet kan være et "
        "forsøg på at gætte adgangskoden. Tal med brugeren, og overvej at skifte adgangskoden."
    ) % {
        "failures": failures,
        "username": username,
        "addresses": addresses,
        "minutes": settings.AXES_USERNAME_COOLOFF_MINUTES,
    }
    try:
        mail_admins(subject, body)
        if user is not None and user.municipality_id:
            recipients = list(
                get_user_model()
                .objects.filter(municipality_id=user.municipality_id, role=Role.ADMIN)
                .filter(is_active=True)
                .exclude(email="")
                .values_list("email", flat=True)
            )
            if recipients:
                EmailMessage(subject=subject, body=body, to=recipients).send()
    except Exception:  # noqa: BLE001 - the lock and the audit entry stand without the mail
        logger.exception("Could not send the lock-out alert")
