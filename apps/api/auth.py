"""API authentication and HTTP method handling: the browser session, or a personal token in
`Authorization: Bearer`; only GET, HEAD and OPTIONS are answered (RFC 9110)."""

from functools import wraps

from django.http import HttpResponse, JsonResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

from apps.accounts.scope import scope_for_user
from apps.api.models import ApiToken, hash_token
from apps.core.errors import ALLOW_READ_ONLY, json_error, method_not_allowed
from apps.core.scoping import Scope, tenancy_for


def api_error(message: str, status: int) -> JsonResponse:
    """Errors are JSON with a Danish message: `{"detail": "…"}`."""
    return json_error(message, status)


class TokenRefused(Exception):
    """The request carried a token that may not be used; `message` says why, in Danish."""

    def __init__(self, message: str, *, expired: bool = False):
        super().__init__(message)
        self.message, self.expired = message, expired


def _unauthorized(message: str, *, expired: bool = False) -> JsonResponse:
    # RFC 9110 §11.6.1: a 401 names the scheme; RFC 6750 §3 the reason for a bad token.
    response = api_error(message, 401)
    challenge = 'Bearer realm="Strategiportalen"'
    if expired:
        challenge += ', error="invalid_token", error_description="The token has expired"'
    response["WWW-Authenticate"] = challenge
    return response


def _token_user(request):
    """The owner of a usable token in the request, None without one; raises TokenRefused
    for an expired token. Its use is recorded on the token (`last_used_at`)."""
    header = request.headers.get("Authorization", "")
    if not header.startswith("Bearer "):
        return None
    raw = header.removeprefix("Bearer ").strip()
    token = (
        ApiToken.objects.usable().select_related("user").filter(key_hash=hash_token(raw)).first()
    )
    if token is None:
        return None
    now = timezone.now()
    if token.is_expired(now):
        raise TokenRefused(_("API-nøglen er udløbet. Bed en administrator om en ny."), expired=True)
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user


def read_only(func):
    """GET and HEAD reach the view, OPTIONS lists the methods, anything else is a JSON 405
    with `Allow`. HEAD answers as GET would, without the body (RFC 9110 §9.3.2). Nothing here
    changes state, so the CSRF check (meant for forms) does not apply."""

    @csrf_exempt
    @wraps(func)
    def wrapper(request, *args, **kwargs):
        if request.method == "OPTIONS":
            # RFC 9110 §9.3.7: Allow, and Content-Length: 0 (which a 204 may not carry).
            response = HttpResponse(status=200)
            response["Allow"] = ALLOW_READ_ONLY
            response["Content-Length"] = "0"
            return response
        if request.method not in {"GET", "HEAD"}:
            return method_not_allowed()
        response = func(request, *args, **kwargs)
        if request.method == "HEAD" and not response.streaming:
            length = len(response.content)
            response.content = b""
            response["Content-Length"] = str(length)
        return response

    return wrapper


def api_view(func):
    """Read-only endpoint: session or token; the owner's scope and tenancy apply exactly as
    on the pages."""

    @read_only
    @wraps(func)
    def wrapper(request, *args, **kwargs):
        scope = getattr(request, "scope", None) if request.user.is_authenticated else None
        if scope is None:
            try:
                user = _token_user(request)
            except TokenRefused as refused:
                return _unauthorized(refused.message, expired=refused.expired)
            if user is None:
                return _unauthorized(_("Log ind eller brug en gyldig API-nøgle."))
            # The middleware's guard denies everything to an anonymous request; loading the
            # token owner's departments needs that owner's municipality.
            provisional = Scope(
                user_id=user.pk,
                role=user.role,
                municipality_id=user.municipality_id,
                all_municipalities=user.is_superuser and not user.municipality_id,
            )
            with tenancy_for(provisional):
                scope = scope_for_user(user)
            if scope is None:
                return api_error(_("Brugeren har ingen rolle i en kommune."), 403)
            request.user = user
        request.scope = scope
        with tenancy_for(scope):
            return func(request, *args, **kwargs)

    return wrapper
