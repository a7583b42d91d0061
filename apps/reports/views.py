"""The status report from the portal: a small form on the strategy, answered with the file.
Coordinators get the municipality's report, a leader the same report limited to their own
departments; every download is an audited export."""

from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render

from apps.accounts.decorators import scope_required
from apps.core.audit import audit_record
from apps.organisation.models import Municipality
from apps.reports.documents import CONTENT_TYPES, default_year, filename
from apps.reports.documents import render as render_document
from apps.reports.forms import ReportForm
from apps.reports.gather import report_data
from apps.strategy.models import Strategy


@scope_required(allow="can_make_status_report")
def strategy_report(request, pk: int):
    scope = request.scope
    strategy = get_object_or_404(Strategy.objects.in_scope(scope), pk=pk)
    form = ReportForm(request.GET if "format" in request.GET else None)
    if not form.is_valid():
        return render(
            request,
            "reports/report_form.html",
            {"form": form, "strategy": strategy},
            status=400 if form.is_bound else 200,
        )
    municipality = get_object_or_404(Municipality, pk=strategy.municipality_id)
    year = form.cleaned_data["aar"] or default_year(municipality)
    fmt = form.cleaned_data["format"]
    report = report_data(scope=scope, municipality=municipality, strategy=strategy, year=year)
    content = render_document(report, fmt)
    audit_record(
        actor=request.user,
        action="export",
        obj=strategy,
        municipality_id=strategy.municipality_id,
        context={
            "list": "statusrapport",
            "criteria": {"år": str(year), "fagområder": ", ".join(report.departments)},
            "format": fmt,
        },
    )
    response = HttpResponse(content, content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="{filename(report, fmt)}"'
    return response
