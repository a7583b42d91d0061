"""API authentication: the browser session, or a personal token in `Authorization: Bearer`."""

from functools import wraps

from django.http import JsonResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.accounts.scope import scope_for_user
from apps.api.models import ApiToken, hash_token
from apps.core.scoping import Scope, tenancy_for


def api_error(message: str, status: int) -> JsonResponse:
    """Errors are JSON with a Danish message: `{"detail": "…"}`."""
    return JsonResponse(
        {"detail": message}, status=status, json_dumps_params={"ensure_ascii": False}
    )


def _token_user(request):
    header = request.headers.get("Authorization", "")
    if not header.startswith("Bearer "):
        return None
    raw = header.removeprefix("Bearer ").strip()
    token = (
        ApiToken.objects.usable().select_related("user").filter(key_hash=hash_token(raw)).first()
    )
    if token is None:
        return None
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now())
    return token.user


def api_view(func):
    """Read-only endpoint: GET only; session or token; the owner's scope and tenancy apply
    exactly as on the pages."""

    @wraps(func)
    def wrapper(request, *args, **kwargs):
        if request.method not in {"GET", "HEAD"}:
            return api_error(_("API'et kan kun læses."), 405)
        scope = getattr(request, "scope", None) if request.user.is_authenticated else None
        if scope is None:
            user = _token_user(request)
            if user is None:
                return api_error(_("Log ind eller brug en gyldig API-nøgle."), 401)
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
