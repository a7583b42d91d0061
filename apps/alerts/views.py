"""The warning pages: HR's and coordinators' list of flags, one flag with its trend and
history (where a leader, HR or a coordinator marks it "sat i gang"), and the coordinators'
threshold. Every lookup of a person is logged, as on the trainee pages."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from apps.accounts.decorators import scope_required
from apps.alerts.forms import AlertSettingsForm, FlagFilterForm, SetInMotionForm
from apps.alerts.models import AbsenceFlag
from apps.alerts.selectors import flag_rows, month_trend
from apps.alerts.services import (
    absence_flag_set_in_motion,
    alert_settings_for,
    alert_settings_update,
)
from apps.core.audit import audit_record
from apps.core.forms import apply_errors
from apps.core.models import AuditEntry

PAGE_SIZE = 50


@scope_required(allow="can_follow_absence_warnings")
def flag_list(request):
    scope = request.scope
    form = FlagFilterForm(request.GET or None, scope=scope)
    page = Paginator(form.apply(flag_rows(scope)), PAGE_SIZE).get_page(request.GET.get("page"))
    audit_record(
        actor=request.user,
        action="search",
        context={
            "list": "alerts.absenceflag",
            "criteria": {k: v for k, v in request.GET.items() if k != "page" and v},
            "page": page.number,
            "results": page.paginator.count,
        },
    )
    settings_row = alert_settings_for(scope.municipality_id) if scope.municipality_id else None
    return render(
        request,
        "alerts/flag_list.html",
        {
            "form": form,
            "page": page,
            "flags": [(flag, month_trend(flag)) for flag in page.object_list],
            "settings_row": settings_row,
        },
    )


@scope_required(allow="can_see_persons")
def flag_detail(request, pk: int):
    scope = request.scope
    flag = get_object_or_404(
        AbsenceFlag.objects.in_scope(scope).select_related(
            "trainee", "trainee__programme", "trainee__department"
        ),
        pk=pk,
    )
    form = SetInMotionForm(request.POST or None, initial={"version": flag.version})
    if request.method == "POST":
        if form.is_valid():
            try:
                absence_flag_set_in_motion(
                    flag=flag,
                    actor=request.user,
                    note=form.cleaned_data["note"],
                    expected_version=form.cleaned_data["version"],
                )
            except ValidationError as error:
                apply_errors(form, error)
            else:
                messages.success(request, _("Noten er gemt, og varslet er markeret sat i gang."))
                return redirect("alerts:flag_detail", pk=flag.pk)
    else:
        audit_record(actor=request.user, action="view", obj=flag)
    history = (
        AuditEntry.objects.for_object(flag)
        .exclude(action__in=AuditEntry.LOOKUP_ACTIONS)
        .order_by("-occurred_at", "-pk")[:100]
    )
    actions = flag.actions.select_related("created_by").order_by("-created_at", "-pk")
    return render(
        request,
        "alerts/flag_detail.html",
        {
            "flag": flag,
            "trainee": flag.trainee,
            "trend": month_trend(flag),
            "form": form,
            "actions": list(actions),
            "history": list(history),
        },
    )


@scope_required(allow="can_set_absence_threshold")
def settings_update(request):
    scope = request.scope
    if scope.municipality_id is None:
        return redirect("alerts:flag_list")
    settings_row = alert_settings_for(scope.municipality_id)
    form = AlertSettingsForm(
        request.POST or None, instance=settings_row, initial={"version": settings_row.version}
    )
    if request.method == "POST" and form.is_valid():
        try:
            result = alert_settings_update(
                settings_row=settings_row,
                actor=request.user,
                absence_threshold=form.cleaned_data["absence_threshold"],
                expected_version=form.cleaned_data["version"],
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(
                request,
                _("Tærsklen er gemt. Eleverne er beregnet igen: %(n)s markeret nu.")
                % {"n": result.opened + result.updated},
            )
            return redirect("alerts:settings")
    return render(
        request,
        "alerts/settings_form.html",
        {"form": form, "settings_row": settings_row},
    )
