"""The trainee pages: list with filters and search, one person's page, HR's correction form
and the spreadsheet export. Every lookup is logged (view, search, export)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from apps.accounts.decorators import scope_required
from apps.core.audit import audit_record
from apps.core.exports import audited_list_export, mark_invalid_fields
from apps.core.forms import apply_errors
from apps.trainees.exports import TRAINEE_EXPORT
from apps.trainees.filters import TraineeFilterSet
from apps.trainees.forms import TraineeUpdateForm
from apps.trainees.selectors import trainee_get, trainee_list, trainee_page
from apps.trainees.services import trainee_update
from apps.trainees.tasks import trainee_export_task

PAGE_SIZE = 50


def _filterset(request) -> TraineeFilterSet:
    return TraineeFilterSet(
        request.GET or None, queryset=trainee_list(scope=request.scope), scope=request.scope
    )


@scope_required(allow="can_see_persons")
def trainee_list_view(request):
    filterset = _filterset(request)
    results = filterset.results()
    page = Paginator(results, PAGE_SIZE).get_page(request.GET.get("page"))
    audit_record(
        actor=request.user,
        action="search",
        context={
            "list": "trainees.trainee",
            "criteria": filterset.criteria(),
            "page": page.number,
            "results": page.paginator.count,
        },
    )
    context = {
        "filterset": filterset,
        "form": filterset.form,
        "page": page,
        "is_valid": not filterset.is_bound or filterset.is_valid(),
    }
    template = "trainees/trainee_list.html"
    if request.htmx and not request.htmx.boosted:
        template += "#results"
    return render(request, template, context)


@scope_required(allow="can_see_persons")
def trainee_export(request):
    return audited_list_export(request, export=TRAINEE_EXPORT, task=trainee_export_task)


@scope_required(allow="can_see_persons")
def trainee_detail(request, pk: int):
    trainee = trainee_get(scope=request.scope, pk=pk)
    audit_record(actor=request.user, action="view", obj=trainee)
    page = trainee_page(scope=request.scope, trainee=trainee)
    return render(request, "trainees/trainee_detail.html", {"trainee": trainee, "page": page})


@scope_required(allow="can_import")
def trainee_update_view(request, pk: int):
    trainee = trainee_get(scope=request.scope, pk=pk)
    if request.method == "GET":
        audit_record(actor=request.user, action="view", obj=trainee, context={"page": "update"})
    form = TraineeUpdateForm(request.POST or None, instance=trainee, scope=request.scope)
    if request.method == "POST" and form.is_valid():
        try:
            trainee_update(
                trainee=trainee,
                actor=request.user,
                data=form.service_data(),
                expected_version=form.cleaned_data["version"],
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Eleven er rettet."))
            return redirect("trainees:trainee_detail", pk=trainee.pk)
    mark_invalid_fields(form)
    return render(request, "trainees/trainee_form.html", {"trainee": trainee, "form": form})
