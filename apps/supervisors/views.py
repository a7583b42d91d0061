"""The supervisor pages: list per workplace with qualification and current trainees, one
supervisor's page, and the export. Every lookup is logged (view, search, export)."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils.translation import gettext as _

from apps.accounts.decorators import scope_required
from apps.core.audit import audit_record
from apps.supervisors.exports import audited_list_export
from apps.supervisors.filters import SupervisorFilterSet
from apps.supervisors.selectors import (
    supervisor_get,
    supervisor_history,
    supervisor_list,
    supervisor_placements,
)

PAGE_SIZE = 100


def _filterset(request) -> SupervisorFilterSet:
    return SupervisorFilterSet(
        request.GET or None, queryset=supervisor_list(scope=request.scope), scope=request.scope
    )


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


def _export_headers() -> list[str]:
    return [
        _("Medarbejder-ID"),
        _("Navn"),
        _("Fagområde"),
        _("Arbejdsplads"),
        _("Faggruppe"),
        _("Kvalifikation"),
        _("Kvalificeret dato"),
        _("Aktiv"),
        _("Aktuelle elever"),
    ]


def _export_rows(supervisors) -> list[list]:
    return [
        [
            s.hr_id,
            s.name,
            s.workplace.department.name if s.workplace else "",
            s.workplace.name if s.workplace else "",
            s.profession,
            s.qualification.name if s.qualification else "",
            s.qualified_on,
            s.is_active,
            len(s.current_placements),
        ]
        for s in supervisors
    ]


@scope_required(allow="can_see_persons")
def supervisor_export(request):
    filterset = _filterset(request)
    return audited_list_export(
        request,
        filterset=filterset,
        list_label="supervisors.supervisor",
        headers=_export_headers(),
        rows=_export_rows(filterset.results()),
        name=_("vejledere"),
    )


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
