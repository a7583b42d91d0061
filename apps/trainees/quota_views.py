"""The quota pages (dimensionering): list per year, create, edit and delete. Coordinators and
HR (`can_manage_quotas`); every lookup is scoped, another municipality's quota is a 404."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import F
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.accounts.decorators import scope_required
from apps.core.exports import mark_invalid_fields
from apps.core.forms import apply_errors
from apps.trainees.forms import QuotaForm
from apps.trainees.models import IntakeQuota
from apps.trainees.services import quota_create, quota_delete, quota_update


def _quotas(scope):
    return IntakeQuota.objects.in_scope(scope).select_related("programme", "department")


@scope_required(allow="can_manage_quotas")
def quota_list(request):
    scope = request.scope
    years = sorted(set(_quotas(scope).values_list("year", flat=True)), reverse=True)
    year = request.GET.get("year", "")
    year = int(year) if year.isdigit() else None
    if year is None:
        this_year = timezone.localdate().year
        year = this_year if this_year in years or not years else years[0]
    quotas = (
        _quotas(scope)
        .filter(year=year)
        .order_by(
            "programme__order", "programme__code", F("department__name").asc(nulls_first=True)
        )
    )
    return render(
        request,
        "trainees/quota_list.html",
        {"quotas": quotas, "years": years, "year": year},
    )


@scope_required(allow="can_manage_quotas")
def quota_create_view(request):
    initial = {}
    if (year := request.GET.get("year", "")).isdigit():
        initial["year"] = int(year)
    form = QuotaForm(request.POST or None, scope=request.scope, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            quota = quota_create(
                municipality_id=request.scope.municipality_id,
                actor=request.user,
                data=form.service_data(),
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Dimensioneringen er oprettet."))
            return redirect(f"{reverse('quotas:quota_list')}?year={quota.year}")
    mark_invalid_fields(form)
    return render(request, "trainees/quota_form.html", {"form": form, "quota": None})


@scope_required(allow="can_manage_quotas")
def quota_update_view(request, pk: int):
    quota = get_object_or_404(_quotas(request.scope), pk=pk)
    form = QuotaForm(request.POST or None, instance=quota, scope=request.scope)
    if request.method == "POST" and form.is_valid():
        try:
            quota = quota_update(
                quota=quota,
                actor=request.user,
                data=form.service_data(),
                expected_version=form.cleaned_data["version"] or 0,
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Dimensioneringen er gemt."))
            return redirect(f"{reverse('quotas:quota_list')}?year={quota.year}")
    mark_invalid_fields(form)
    return render(request, "trainees/quota_form.html", {"form": form, "quota": quota})


@scope_required(allow="can_manage_quotas")
def quota_delete_view(request, pk: int):
    quota = get_object_or_404(_quotas(request.scope), pk=pk)
    error = None
    if request.method == "POST":
        version = request.POST.get("version", "")
        try:
            quota_delete(
                quota=quota,
                actor=request.user,
                expected_version=int(version) if version.isdigit() else 0,
            )
        except ValidationError as exc:
            error = exc.messages[0]
        else:
            messages.success(request, _("Dimensioneringen er slettet."))
            return redirect(f"{reverse('quotas:quota_list')}?year={quota.year}")
    return render(request, "trainees/quota_confirm_delete.html", {"quota": quota, "error": error})
