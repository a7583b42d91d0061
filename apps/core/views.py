"""The start page (sends each role to where its work is) and the generic error pages."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse

from apps.core.middleware import current_correlation_id
from apps.core.roles import Role

# Where each role starts its day.
START_PAGE_BY_ROLE = {
    Role.COORDINATOR: "strategy:followup",
    Role.ADMIN: "strategy:followup",
    Role.LEADER: "dashboards:department_default",
    Role.HR: "imports:batch_list",
    Role.KKR_ANALYST: "dashboards:kkr_overview",
}


@login_required
def home(request):
    try:
        return redirect(reverse(START_PAGE_BY_ROLE[request.user.role]))
    except (KeyError, NoReverseMatch):
        return render(request, "core/home.html")


def _error(request, status: int, template: str):
    context = {"correlation_id": getattr(request, "correlation_id", current_correlation_id())}
    return render(request, template, context, status=status)


def bad_request(request, exception=None):
    return _error(request, 400, "errors/400.html")


def permission_denied(request, exception=None):
    return _error(request, 403, "errors/403.html")


def csrf_failure(request, reason=""):
    """A form sent without a valid CSRF token (often an expired session): a Danish page."""
    return _error(request, 403, "errors/403_csrf.html")


def page_not_found(request, exception=None):
    return _error(request, 404, "errors/404.html")


def server_error(request):
    return _error(request, 500, "errors/500.html")
