"""Attach `request.scope` and hold the tenancy guard for the whole request; end sessions
that are idle or too old; hold back users who still owe a two-factor step."""

import time

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _

from apps.accounts import two_factor
from apps.accounts.account_events import acting_user
from apps.accounts.scope import scope_for_user
from apps.accounts.sessions import LAST_SEEN_KEY, LOGIN_AT_KEY, session_expired
from apps.core.scoping import tenancy_for


class ScopeMiddleware:
    """Sets `request.scope` (None for anonymous users and users without a role) and keeps
    tenant-owned models restricted to that scope's municipality while the view runs; the
    request's user is the actor of account events (password, two-factor) meanwhile."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.scope = scope_for_user(request.user)
        with tenancy_for(request.scope), acting_user(request.user):
            return self.get_response(request)


def _to_login(request):
    if request.headers.get("HX-Request"):
        response = HttpResponse(status=204)
        response["HX-Redirect"] = reverse("accounts:login")
        return response
    return redirect_to_login(request.get_full_path())


class SessionLifetimeMiddleware:
    """Logs a user out after SESSION_IDLE_MINUTES without a request or SESSION_ABSOLUTE_HOURS
    after login, whichever comes first, and logs out users who were deactivated."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if user.is_authenticated:
            now = time.time()
            if not user.is_active or session_expired(request.session, now=now):
                logout(request)
                messages.info(request, _("Du er blevet logget ud. Log ind igen for at fortsætte."))
                return _to_login(request)
            request.session.setdefault(LOGIN_AT_KEY, now)
            request.session[LAST_SEEN_KEY] = now
        return self.get_response(request)


class TwoFactorMiddleware:
    """Until a session has passed its two-factor step, only the step's own pages, the login
    page and logout answer; everything else redirects to verification or enrolment."""

    ALLOWED_VIEWS = {
        "accounts:login",
        "accounts:logout",
        "accounts:totp_verify",
        "accounts:totp_enrol",
        "accounts:oidc_login",
        "accounts:oidc_callback",
    }
    STEP_VIEWS = {
        two_factor.STATE_VERIFY: "accounts:totp_verify",
        two_factor.STATE_ENROL: "accounts:totp_enrol",
    }

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        match = request.resolver_match
        if match is not None and match.view_name in self.ALLOWED_VIEWS:
            return None
        step = two_factor.pending_step(request)
        if step == two_factor.STATE_NONE:
            return None
        target = reverse(self.STEP_VIEWS[step])
        next_url = request.get_full_path()
        if url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
            target = f"{target}?{urlencode({'next': next_url})}"
        if request.headers.get("HX-Request"):
            response = HttpResponse(status=204)
            response["HX-Redirect"] = target
            return response
        return redirect(target)
