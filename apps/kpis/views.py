"""Coordinators' KPI pages: indicators with targets and measurements, and corrections."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from apps.accounts.decorators import scope_required
from apps.core.exports import audited_list_export, mark_invalid_fields
from apps.core.forms import apply_errors
from apps.core.models import AuditEntry
from apps.kpis import services
from apps.kpis.choices import MeasurementSource
from apps.kpis.exports import INDICATOR_EXPORT, IndicatorFilterSet
from apps.kpis.forms import (
    IndicatorDeleteForm,
    IndicatorForm,
    MeasurementCorrectForm,
    MeasurementCreateForm,
)
from apps.kpis.models import Indicator, Measurement
from apps.kpis.targets import judge, target_level, target_text
from apps.kpis.tasks import indicator_export_task


def _indicators(scope):
    return (
        Indicator.objects.in_scope(scope)
        .select_related("department", "programme", "focus_area")
        .prefetch_related(
            "goals",
            Prefetch(
                "measurements",
                queryset=Measurement.objects.select_related("recorded_by").order_by("period"),
            ),
        )
        .order_by("order", "name")
    )


@scope_required(allow="can_edit_strategy")
def indicator_list(request):
    filterset = IndicatorFilterSet(
        request.GET or None, queryset=_indicators(request.scope), scope=request.scope
    )
    rows = []
    for indicator in filterset.results():
        measurements = list(indicator.measurements.all())
        latest = measurements[-1] if measurements else None
        rows.append(
            {
                "indicator": indicator,
                "latest": latest,
                "target_level": target_level(indicator),
                "target_text": target_text(indicator),
                "judgement": judge(indicator, latest.value if latest else None, latest.period)
                if latest
                else None,
            }
        )
    return render(
        request,
        "kpis/indicator_list.html",
        {
            "rows": rows,
            "filter": filterset,
            "is_valid": not filterset.is_bound or filterset.is_valid(),
        },
    )


@scope_required(allow="can_read_strategy")
def indicator_export(request):
    """The indicators the reader may read, with every measurement, as xlsx or csv; figures
    under the small-number rule for the reader's role (apps.kpis.exports)."""
    return audited_list_export(request, export=INDICATOR_EXPORT, task=indicator_export_task)


@scope_required(allow="can_edit_strategy")
def indicator_detail(request, pk: int):
    indicator = get_object_or_404(_indicators(request.scope), pk=pk)
    create_form = MeasurementCreateForm(request.POST or None)
    if request.method == "POST" and create_form.is_valid():
        try:
            services.measurement_create(
                indicator=indicator, actor=request.user, **create_form.cleaned_data
            )
        except ValidationError as exc:
            create_form.add_error(None, exc)
        else:
            messages.success(request, _("Målingen er gemt."))
            return redirect("kpis:indicator_detail", pk=indicator.pk)
    measurements = list(indicator.measurements.all())
    history = AuditEntry.objects.filter(
        object_type="kpis.measurement", object_id__in=[str(m.pk) for m in measurements]
    ).order_by("-occurred_at")[:50]
    return render(
        request,
        "kpis/indicator_detail.html",
        {
            "indicator": indicator,
            "measurements": measurements,
            "target_level": target_level(indicator),
            "target_text": target_text(indicator),
            "history": history,
            "indicator_history": AuditEntry.objects.for_object(indicator)[:20],
            "baseline_measured": indicator.baseline_measured,
            "create_form": create_form,
        },
    )


@scope_required(allow="can_edit_strategy")
def indicator_create(request):
    form = IndicatorForm(request.POST or None, scope=request.scope)
    if request.method == "POST" and form.is_valid():
        try:
            indicator = services.indicator_create(
                municipality_id=request.scope.municipality_id,
                actor=request.user,
                data=form.service_data(),
                baseline_from_period=form.baseline_from_period(),
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Nøgletallet er oprettet."))
            return redirect("kpis:indicator_detail", pk=indicator.pk)
    mark_invalid_fields(form)
    return render(request, "kpis/indicator_form.html", {"indicator": None, "form": form})


@scope_required(allow="can_edit_strategy")
def indicator_update(request, pk: int):
    indicator = get_object_or_404(Indicator.objects.in_scope(request.scope), pk=pk)
    form = IndicatorForm(request.POST or None, instance=indicator, scope=request.scope)
    if request.method == "POST" and form.is_valid():
        try:
            services.indicator_update(
                indicator=Indicator.objects.in_scope(request.scope).get(pk=pk),
                actor=request.user,
                data=form.service_data(),
                expected_version=form.cleaned_data["version"],
                baseline_from_period=form.baseline_from_period(),
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Nøgletallet er gemt."))
            return redirect("kpis:indicator_detail", pk=pk)
    mark_invalid_fields(form)
    return render(request, "kpis/indicator_form.html", {"indicator": indicator, "form": form})


@scope_required(allow="can_edit_strategy")
def indicator_delete(request, pk: int):
    indicator = get_object_or_404(Indicator.objects.in_scope(request.scope), pk=pk)
    form = IndicatorDeleteForm(request.POST or None, initial={"version": indicator.version})
    if request.method == "POST" and form.is_valid():
        try:
            services.indicator_delete(
                indicator=indicator,
                actor=request.user,
                expected_version=form.cleaned_data["version"],
                including_manual=form.cleaned_data["including_manual"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Nøgletallet er slettet."))
            return redirect("kpis:indicator_list")
    manual = [
        m.period for m in indicator.measurements.all() if m.source == MeasurementSource.MANUAL
    ]
    return render(
        request,
        "kpis/indicator_confirm_delete.html",
        {"indicator": indicator, "form": form, "manual_periods": manual},
        status=400 if form.errors else 200,
    )


@scope_required(allow="can_edit_strategy")
def measurement_update(request, pk: int):
    measurement = get_object_or_404(
        Measurement.objects.in_scope(request.scope).select_related("indicator"), pk=pk
    )
    form = MeasurementCorrectForm(
        request.POST or None,
        initial={
            "value": measurement.value,
            "note": measurement.note,
            "version": measurement.version,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.measurement_correct(
                measurement=measurement,
                actor=request.user,
                value=form.cleaned_data["value"],
                note=form.cleaned_data["note"],
                expected_version=form.cleaned_data["version"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Målingen er rettet."))
            return redirect("kpis:indicator_detail", pk=measurement.indicator_id)
    return render(request, "kpis/measurement_form.html", {"measurement": measurement, "form": form})
