"""Dashboard pages: thin views that resolve scope and filters, call one selector, render."""

from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from apps.accounts.decorators import scope_required
from apps.core.audit import audit_record
from apps.core.exports import FORMATS, export_response
from apps.dashboards import selectors
from apps.dashboards.department_page import department_content
from apps.dashboards.kkr_themes import (
    comparison_export_rows,
    theme_export_headers,
    theme_export_rows,
)
from apps.organisation.models import Department


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
    department = Department.objects.visible_to(scope).order_by("order", "name").first()
    if department is None:
        raise Http404
    url = reverse("dashboards:department", args=[department.pk])
    query = request.GET.urlencode()
    return redirect(f"{url}?{query}" if query else url)


@scope_required(allow="can_see_persons")
def department(request, pk: int):
    scope = request.scope
    dept = get_object_or_404(Department.objects.visible_to(scope), pk=pk)
    content = department_content(scope=scope, department=dept, filters=_filters(request))
    others = None
    if scope.department_ids is None or len(scope.department_ids) > 1:
        others = Department.objects.visible_to(scope).order_by("order", "name")
    return render(
        request,
        "dashboards/department_dashboard.html",
        {**content, "department": dept, "departments": others},
    )


@scope_required(allow="can_see_municipality_overview")
def municipality_overview(request):
    scope = request.scope
    if scope.municipality_id is None:
        raise Http404
    dash = selectors.municipality_overview(scope=scope, **_filters(request))
    return render(request, "dashboards/municipality_overview.html", {"dash": dash})


@scope_required(allow="can_compare_municipalities")
def kkr_overview(request):
    scope = request.scope
    overview = selectors.kkr_overview(scope=scope, **_filters(request))
    return render(request, "dashboards/kkr_overview.html", {"overview": overview})


@scope_required(allow="can_compare_municipalities")
def kkr_export(request):
    """The comparison (figures per municipality, then per KKR theme) as xlsx or csv, with the
    page's filters and under the same small-number rule; logged like the list exports."""
    scope = request.scope
    filters = _filters(request)
    overview = selectors.kkr_overview(scope=scope, **filters)
    rows = comparison_export_rows(overview.rows, overview.year) + theme_export_rows(overview.themes)
    fmt = request.GET.get("format", "xlsx")
    fmt = fmt if fmt in FORMATS else "xlsx"
    criteria = {"year": str(overview.year)}
    if overview.programme:
        criteria["programme"] = overview.programme
    audit_record(
        actor=request.user,
        action="export",
        context={"list": "dashboards.kkr", "criteria": criteria, "format": fmt, "rows": len(rows)},
    )
    return export_response(
        headers=theme_export_headers(), rows=rows, fmt=fmt, name=_("kommuner-side-om-side")
    )
