"""View guards: a view needs a scope (else login or 403), a write needs the right role (403)."""

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied


def scope_required(view_func=None, *, allow: str | None = None):
    """Require a logged-in user with a scope; with `allow`, also that `scope.<allow>` is true.

    Anonymous users are sent to the login page; a user whose role may not do this gets 403.
    Usage: `@scope_required` or `@scope_required(allow="can_edit_strategy")`. `allow` names a
    `Scope` capability (apps/core/scoping.py); the wrapper records it as `scope_allow` so the
    navigation test can check that a menu entry and its page's guard read the same one.
    """

    def decorator(func):
        @wraps(func)
        def wrapper(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            scope = getattr(request, "scope", None)
            if scope is None:
                raise PermissionDenied
            if allow and not getattr(scope, allow):
                raise PermissionDenied
            return func(request, *args, **kwargs)

        wrapper.scope_allow = allow
        return wrapper

    if view_func is not None:
        return decorator(view_func)
    return decorator
