"""Attach `request.scope` and hold the tenancy guard for the whole request."""

from apps.accounts.scope import scope_for_user
from apps.core.scoping import tenancy_for


class ScopeMiddleware:
    """Sets `request.scope` (None for anonymous users and users without a role) and keeps
    tenant-owned models restricted to that scope's municipality while the view runs."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.scope = scope_for_user(request.user)
        with tenancy_for(request.scope):
            return self.get_response(request)
