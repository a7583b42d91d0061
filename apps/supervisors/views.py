"""The supervisor pages: list per workplace with qualification and current trainees, one
supervisor's page, and the export. Every lookup is logged (view, search, export)."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.shortcuts import render

from apps.accounts.decorators import scope_required
from apps.core.audit import audit_record
from apps.core.exports import audited_list_export
from apps.supervisors.exports import SUPERVISOR_EXPORT, supervisor_filterset
from apps.supervisors.filters import SupervisorFilterSet
from apps.supervisors.selectors import supervisor_get, supervisor_history, supervisor_placements
from apps.supervisors.tasks import supervisor_export_task

PAGE_SIZE = 100


def _filterset(request) -> SupervisorFilterSet:
    return supervisor_filterset(request.GET or None, request.scope)


@scope_required(allow="can_see_persons")
def supervisor_list_view(request):
    filterset = _filterset(request)
    page = Paginator(filterset.results(), PAGE_SIZE).get_page(request.GET.get("page"))
    audit_record(
        actor=request.user,
        action="search",
        context={
            "list": "supervisors.supervisor",
            "criteria": filterset.criteria(),
            "page": page.number,
            "results": page.paginator.count,
        },
    )
    context = {
        "form": filterset.form,
        "page": page,
        "is_valid": not filterset.is_bound or filterset.is_valid(),
    }
    template = "supervisors/supervisor_list.html"
    if request.htmx and not request.htmx.boosted:
        template += "#results"
    return render(request, template, context)


@scope_required(allow="can_see_persons")
def supervisor_export(request):
    return audited_list_export(request, export=SUPERVISOR_EXPORT, task=supervisor_export_task)


@scope_required(allow="can_see_persons")
def supervisor_detail(request, pk: int):
    supervisor = supervisor_get(scope=request.scope, pk=pk)
    audit_record(actor=request.user, action="view", obj=supervisor)
    context = {
        "supervisor": supervisor,
        "placements": supervisor_placements(scope=request.scope, supervisor=supervisor),
        "history": supervisor_history(supervisor=supervisor),
    }
    return render(request, "supervisors/supervisor_detail.html", context)
