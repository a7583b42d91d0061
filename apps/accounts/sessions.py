"""Login sessions: register each login, end them all when a user is deactivated, and the
idle/absolute lifetime rules the session middleware enforces."""

from __future__ import annotations

import time
from importlib import import_module

from django.conf import settings
from django.db import transaction

from apps.accounts.models import User, UserSession

LOGIN_AT_KEY = "portal_login_at"
LAST_SEEN_KEY = "portal_last_seen"


def _session_store():
    return import_module(settings.SESSION_ENGINE).SessionStore


def session_register(*, user: User, session) -> None:
    """Remember `session` as one of `user`'s sessions and stamp its login time.

    Rule: the absolute lifetime (SESSION_ABSOLUTE_HOURS) counts from this moment.
    """
    now = time.time()
    session[LOGIN_AT_KEY] = now
    session[LAST_SEEN_KEY] = now
    if session.session_key is None:
        session.save()
    UserSession.objects.get_or_create(user=user, session_key=session.session_key)


def session_forget(*, session_key: str | None) -> None:
    """Drop the bookkeeping row of a session that was ended by logout."""
    if session_key:
        UserSession.objects.filter(session_key=session_key).delete()


def user_sessions_end(*, user: User) -> int:
    """Delete every session of `user` server-side; returns how many were ended.

    Rule: a deactivated user is logged out everywhere at once, not at the next request.
    """
    store = _session_store()
    with transaction.atomic():
        keys = list(UserSession.objects.filter(user=user).values_list("session_key", flat=True))
        for key in keys:
            store(session_key=key).delete()
        UserSession.objects.filter(user=user).delete()
    return len(keys)


def session_expired(session, *, now: float | None = None) -> bool:
    """Whether the session has been idle longer than SESSION_COOKIE_AGE or lived longer
    than SESSION_ABSOLUTE_LIFETIME since login."""
    now = time.time() if now is None else now
    login_at = session.get(LOGIN_AT_KEY)
    last_seen = session.get(LAST_SEEN_KEY)
    if login_at is None or last_seen is None:
        return False
    if now - login_at > settings.SESSION_ABSOLUTE_LIFETIME:
        return True
    return now - last_seen > settings.SESSION_COOKIE_AGE
