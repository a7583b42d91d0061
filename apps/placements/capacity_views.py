"""The capacity pages (kapacitet): capacity per workplace, programme and period (list with
filter, create, edit, delete), the municipality's default supervisor maximum, and each
supervisor's own maximum. HR and coordinators (`can_plan_placements`); every lookup is
scoped, another municipality's row is a 404. Writes go through the services."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.accounts.decorators import scope_required
from apps.core.exports import mark_invalid_fields
from apps.core.forms import apply_errors
from apps.placements.capacity_services import (
    capacity_create,
    capacity_delete,
    capacity_update,
    planning_settings_update,
)
from apps.placements.forms import (
    CapacityFilterForm,
    CapacityForm,
    PlanningSettingsForm,
    SupervisorMaxForm,
    workplaces_of,
)
from apps.placements.models import (
    DEFAULT_SUPERVISOR_MAX_TRAINEES,
    PlanningSettings,
    WorkplaceCapacity,
)
from apps.supervisors.models import Supervisor
from apps.supervisors.services import supervisor_set_max_trainees

ALLOW = "can_plan_placements"


def _capacities(scope):
    return WorkplaceCapacity.objects.in_scope(scope).select_related(
        "workplace__department", "programme"
    )


def _version(value: str) -> int:
    return int(value) if value.isdigit() else -1


@scope_required(allow=ALLOW)
def capacity_list(request):
    scope = request.scope
    form = CapacityFilterForm(request.GET or None, scope=scope)
    rows = _capacities(scope)
    if form.is_valid():
        data = form.cleaned_data
        if data["start"]:
            rows = rows.filter(end_date__gte=data["start"])
        if data["end"]:
            rows = rows.filter(start_date__lte=data["end"])
        if data["workplace"]:
            rows = rows.filter(workplace=data["workplace"])
        if data["programme"]:
            rows = rows.filter(programme=data["programme"])
    else:
        rows = rows.filter(end_date__gte=timezone.localdate())
    mark_invalid_fields(form)
    rows = rows.order_by("start_date", "workplace__name", "programme__order", "programme__code")
    return render(
        request,
        "placements/capacity_list.html",
        {
            "filter": form,
            "rows": rows,
            "filtered": form.is_bound,
            "query": request.GET.urlencode(),
        },
    )


@scope_required(allow=ALLOW)
def capacity_create_view(request):
    form = CapacityForm(request.POST or None, scope=request.scope)
    if request.method == "POST" and form.is_valid():
        try:
            capacity_create(
                municipality_id=request.scope.municipality_id,
                actor=request.user,
                data=form.service_data(),
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Kapaciteten er oprettet."))
            return redirect("capacity:capacity_list")
    mark_invalid_fields(form)
    return render(request, "placements/capacity_form.html", {"form": form, "capacity": None})


@scope_required(allow=ALLOW)
def capacity_update_view(request, pk: int):
    capacity = get_object_or_404(_capacities(request.scope), pk=pk)
    form = CapacityForm(request.POST or None, instance=capacity, scope=request.scope)
    if request.method == "POST" and form.is_valid():
        try:
            capacity_update(
                capacity=capacity,
                actor=request.user,
                data=form.service_data(),
                expected_version=form.cleaned_data["version"] or 0,
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Kapaciteten er gemt."))
            return redirect("capacity:capacity_list")
    mark_invalid_fields(form)
    return render(request, "placements/capacity_form.html", {"form": form, "capacity": capacity})


@scope_required(allow=ALLOW)
def capacity_delete_view(request, pk: int):
    capacity = get_object_or_404(_capacities(request.scope), pk=pk)
    error = None
    if request.method == "POST":
        try:
            capacity_delete(
                capacity=capacity,
                actor=request.user,
                expected_version=_version(request.POST.get("version", "")),
            )
        except ValidationError as exc:
            error = exc.messages[0]
        else:
            messages.success(request, _("Kapaciteten er slettet."))
            return redirect("capacity:capacity_list")
    return render(
        request, "placements/capacity_confirm_delete.html", {"capacity": capacity, "error": error}
    )


@scope_required(allow=ALLOW)
def capacity_settings(request):
    scope = request.scope
    current = PlanningSettings.objects.in_scope(scope).first()
    initial = {
        "version": current.version if current else 0,
        "supervisor_max_trainees": (
            current.supervisor_max_trainees if current else DEFAULT_SUPERVISOR_MAX_TRAINEES
        ),
    }
    form = PlanningSettingsForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            planning_settings_update(
                municipality_id=scope.municipality_id,
                actor=request.user,
                supervisor_max_trainees=form.cleaned_data["supervisor_max_trainees"],
                expected_version=form.cleaned_data["version"] or 0,
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Indstillingerne er gemt."))
            return redirect("capacity:settings")
    mark_invalid_fields(form)
    return render(request, "placements/capacity_settings.html", {"form": form})


def _supervisors(scope):
    return Supervisor.objects.in_scope(scope).select_related(
        "workplace__department", "qualification"
    )


@scope_required(allow=ALLOW)
def supervisor_max_list(request):
    scope = request.scope
    supervisors = _supervisors(scope).filter(is_active=True).order_by("name", "pk")
    workplaces = workplaces_of(scope)
    chosen = request.GET.get("workplace", "")
    if chosen.isdigit():
        supervisors = supervisors.filter(workplace_id=int(chosen))
    default = PlanningSettings.objects.in_scope(scope).first()
    return render(
        request,
        "placements/capacity_supervisors.html",
        {
            "supervisors": supervisors,
            "workplaces": workplaces,
            "chosen": int(chosen) if chosen.isdigit() else None,
            "default": (
                default.supervisor_max_trainees if default else DEFAULT_SUPERVISOR_MAX_TRAINEES
            ),
        },
    )


@scope_required(allow=ALLOW)
def supervisor_max_update(request, pk: int):
    supervisor = get_object_or_404(_supervisors(request.scope), pk=pk)
    form = SupervisorMaxForm(
        request.POST or None,
        initial={"version": supervisor.version, "max_trainees": supervisor.max_trainees},
    )
    if request.method == "POST" and form.is_valid():
        try:
            supervisor_set_max_trainees(
                supervisor=supervisor,
                actor=request.user,
                max_trainees=form.cleaned_data["max_trainees"],
                expected_version=form.cleaned_data["version"] or 0,
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Vejlederens maksimum er gemt."))
            return redirect(reverse("capacity:supervisors"))
    mark_invalid_fields(form)
    return render(
        request,
        "placements/capacity_supervisor_form.html",
        {"form": form, "supervisor": supervisor},
    )
