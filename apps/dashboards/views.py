"""Dashboard pages: thin views that resolve scope and filters, call one selector, render."""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from apps.accounts.decorators import scope_required
from apps.core.roles import Role
from apps.dashboards import selectors
from apps.organisation.models import Department

OVERVIEW_ROLES = {Role.COORDINATOR, Role.ADMIN, Role.HR}
KKR_ROLES = {Role.KKR_ANALYST, Role.ADMIN}


def _filters(request) -> dict:
    """`year` and `programme` from the query string; anything malformed is ignored."""
    year = request.GET.get("year", "")
    programme = request.GET.get("programme", "").strip()
    return {
        "year": int(year) if year.isdigit() and len(year) == 4 else None,
        "programme": programme[:12] or None,
    }


@scope_required(allow="can_see_persons")
def department_default(request):
    """A leader's first department (a coordinator's first department of the municipality)."""
    scope = request.scope
    departments = Department.objects.in_scope(scope).order_by("order", "name")
    if scope.department_ids is not None:
        departments = departments.filter(pk__in=scope.department_ids)
    department = departments.first()
    if department is None:
        raise Http404
    url = reverse("dashboards:department", args=[department.pk])
    query = request.GET.urlencode()
    return redirect(f"{url}?{query}" if query else url)


@scope_required(allow="can_see_persons")
def department(request, pk: int):
    scope = request.scope
    if not scope.sees_department(pk):
        raise Http404
    dept = get_object_or_404(Department.objects.in_scope(scope), pk=pk)
    dash = selectors.department_dashboard(scope=scope, department=dept, **_filters(request))
    others = None
    if scope.department_ids is None or len(scope.department_ids) > 1:
        others = Department.objects.in_scope(scope).order_by("order", "name")
        if scope.department_ids is not None:
            others = others.filter(pk__in=scope.department_ids)
    return render(
        request,
        "dashboards/department_dashboard.html",
        {"dash": dash, "department": dept, "departments": others},
    )


@scope_required
def municipality_overview(request):
    scope = request.scope
    if scope.role not in OVERVIEW_ROLES:
        raise PermissionDenied
    if scope.municipality_id is None:
        raise Http404
    dash = selectors.municipality_overview(scope=scope, **_filters(request))
    return render(request, "dashboards/municipality_overview.html", {"dash": dash})


@scope_required
def kkr_overview(request):
    scope = request.scope
    if scope.role not in KKR_ROLES:
        raise PermissionDenied
    overview = selectors.kkr_overview(scope=scope, **_filters(request))
    return render(request, "dashboards/kkr_overview.html", {"overview": overview})
