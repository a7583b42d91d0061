"""Strategy and focus area pages: list, grid, version actions, and the follow-up page."""

from __future__ import annotations

import copy

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from apps.core.forms import apply_errors
from apps.strategy import selectors, services
from apps.strategy.forms import (
    FocusAreaForm,
    StrategyAdoptForm,
    StrategyCopyForm,
    StrategyForm,
)
from apps.strategy.models import FocusArea
from apps.strategy.permissions import strategy_reader_required
from apps.strategy.views.common import (
    conflict_context,
    editor_required,
    error_messages,
    grid_flags,
    rebound_with_current_version,
    strategy_or_404,
)

# ---------------------------------------------------------------------------
# Strategies
# ---------------------------------------------------------------------------


@strategy_reader_required
def strategy_list(request):
    return render(
        request,
        "strategy/strategy_list.html",
        {"strategies": selectors.strategy_list(scope=request.scope)},
    )


@editor_required
def strategy_create(request):
    if request.scope.municipality_id is None:
        raise PermissionDenied
    form = StrategyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            strategy = services.strategy_create(
                actor=request.user,
                municipality=request.user.municipality,
                data=form.cleaned_data,
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Strategien er oprettet som udkast."))
            return redirect("strategy:strategy_detail", pk=strategy.pk)
    return render(request, "strategy/strategy_form.html", {"form": form, "strategy": None})


def _department_filter(request) -> int | None:
    """The `fagomraade` query parameter: show one department's column of the grid."""
    raw = request.GET.get("fagomraade", "")
    return int(raw) if raw.isdigit() else None


@strategy_reader_required
def strategy_detail(request, pk: int):
    strategy = strategy_or_404(request, pk)
    context = grid_flags(request, strategy)
    context.update(
        selectors.strategy_grid(
            strategy=strategy, scope=request.scope, department_id=_department_filter(request)
        )
    )
    context["history"] = selectors.strategy_history(strategy, limit=20)
    context["adoptions"] = list(strategy.adoptions.select_related("adopted_by"))
    context["copy_form"] = StrategyCopyForm()
    return render(request, "strategy/strategy_detail.html", context)


@strategy_reader_required
def focus_area_detail(request, pk: int):
    area = get_object_or_404(
        FocusArea.objects.in_scope(request.scope).select_related("strategy", "kkr_theme"), pk=pk
    )
    strategy = area.strategy
    context = grid_flags(request, strategy)
    context.update(
        selectors.strategy_grid(
            strategy=strategy,
            scope=request.scope,
            focus_area_id=area.pk,
            department_id=_department_filter(request),
        )
    )
    context.update({"focus_area": area, "history": selectors.item_history(area)})
    return render(request, "strategy/focusarea_detail.html", context)


@editor_required
def strategy_update(request, pk: int):
    strategy = strategy_or_404(request, pk)
    form = StrategyForm(request.POST or None, instance=copy.copy(strategy))
    context = {"strategy": strategy}
    if request.method == "POST" and form.is_valid():
        try:
            services.strategy_update(
                strategy=strategy,
                actor=request.user,
                data=form.cleaned_data,
                expected_version=form.cleaned_data["version"],
            )
        except services.EditConflict as exc:
            context.update(conflict_context(exc))
            form = rebound_with_current_version(StrategyForm, request, strategy)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Strategien er gemt."))
            return redirect("strategy:strategy_detail", pk=strategy.pk)
    context["form"] = form
    return render(request, "strategy/strategy_form.html", context)


# What each lifecycle step does, told on its confirmation page before anything happens.
LIFECYCLE = {
    "adopt": {
        "service": services.strategy_adopt,
        "allowed": ("draft",),
        "title": gettext_lazy("Vedtag strategien"),
        "button": gettext_lazy("Ja, vedtag strategien"),
        "success": gettext_lazy(
            "Strategien er vedtaget. Den vedtagne tekst er låst; ansvarlig, opfølgningsdato og "
            "status kan stadig ændres."
        ),
    },
    "reopen": {
        "service": services.strategy_reopen,
        "allowed": ("adopted",),
        "title": gettext_lazy("Genåbn strategien som udkast"),
        "button": gettext_lazy("Ja, genåbn som udkast"),
        "success": gettext_lazy("Strategien er genåbnet som udkast."),
    },
    "archive": {
        "service": services.strategy_archive,
        "allowed": ("draft", "adopted"),
        "title": gettext_lazy("Arkivér strategien"),
        "button": gettext_lazy("Ja, arkivér strategien"),
        "success": gettext_lazy("Strategien er arkiveret."),
    },
}


def _lifecycle(action: str):
    """GET: a confirmation page saying in Danish what the step will do. POST from that page
    (it carries `confirmed`): carry it out. A GET, or a POST without `confirmed`, shows the
    page and changes nothing, so no link, reload or stray form adopts, re-opens or archives
    a strategy."""
    step = LIFECYCLE[action]

    @editor_required
    def view(request, pk: int):
        strategy = strategy_or_404(request, pk)
        today = timezone.localdate()
        confirmed = request.method == "POST" and request.POST.get("confirmed") == "1"
        adopt_form = None
        if action == "adopt":
            adopt_form = StrategyAdoptForm(
                request.POST if confirmed else None, strategy=strategy, today=today
            )
        if not confirmed or (adopt_form is not None and not adopt_form.is_valid()):
            return render(
                request,
                "strategy/strategy_confirm.html",
                {
                    "strategy": strategy,
                    "action": action,
                    "step": step,
                    "possible": strategy.status in step["allowed"],
                    "today": today,
                    "replaces": _adopted_predecessor(strategy) if action == "adopt" else None,
                    "adopt_form": adopt_form,
                },
            )
        extra = {}
        if adopt_form is not None:
            extra["adopted_on"] = adopt_form.cleaned_data["adopted_on"]
        try:
            step["service"](
                strategy=strategy,
                actor=request.user,
                expected_version=request.POST.get("version"),
                **extra,
            )
        except services.EditConflict:
            messages.error(
                request,
                _(
                    "Strategien er ændret af en anden, mens du så på den. "
                    "Se ændringen og prøv igen."
                ),
            )
        except ValidationError as exc:
            for message in error_messages(exc):
                messages.error(request, message)
        else:
            messages.success(request, step["success"])
        return redirect("strategy:strategy_detail", pk=strategy.pk)

    return require_http_methods(["GET", "HEAD", "POST"])(view)


def _adopted_predecessor(strategy):
    """The adopted version that adopting this draft archives (None when there is none)."""
    previous = strategy.previous_version
    return previous if previous is not None and previous.status == "adopted" else None


strategy_adopt = _lifecycle("adopt")
strategy_reopen = _lifecycle("reopen")
strategy_archive = _lifecycle("archive")


@editor_required
def strategy_copy(request, pk: int):
    strategy = strategy_or_404(request, pk)
    form = StrategyCopyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            new = services.strategy_copy(
                strategy=strategy,
                actor=request.user,
                version_label=form.cleaned_data["version_label"],
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(
                request, _("Ny version oprettet som udkast. Den gamle version er uændret.")
            )
            return redirect("strategy:strategy_detail", pk=new.pk)
    return render(request, "strategy/strategy_copy.html", {"form": form, "strategy": strategy})


# ---------------------------------------------------------------------------
# Focus areas
# ---------------------------------------------------------------------------


@editor_required
def focus_area_create(request, pk: int):
    strategy = strategy_or_404(request, pk)
    form = FocusAreaForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            area = services.focus_area_create(
                strategy=strategy, actor=request.user, data=form.cleaned_data
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Indsatsområdet er tilføjet."))
            return redirect("strategy:focus_area_detail", pk=area.pk)
    return render(
        request,
        "strategy/focusarea_form.html",
        {"form": form, "strategy": strategy, "focus_area": None},
    )


@editor_required
def focus_area_update(request, pk: int):
    area = get_object_or_404(
        FocusArea.objects.in_scope(request.scope).select_related("strategy"), pk=pk
    )
    form = FocusAreaForm(request.POST or None, instance=copy.copy(area))
    context = {"strategy": area.strategy, "focus_area": area}
    if request.method == "POST" and form.is_valid():
        try:
            services.focus_area_update(
                focus_area=area,
                actor=request.user,
                data=form.cleaned_data,
                expected_version=form.cleaned_data["version"],
            )
        except services.EditConflict as exc:
            context.update(conflict_context(exc))
            form = rebound_with_current_version(FocusAreaForm, request, area)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Indsatsområdet er gemt."))
            return redirect("strategy:focus_area_detail", pk=area.pk)
    context["form"] = form
    return render(request, "strategy/focusarea_form.html", context)


# ---------------------------------------------------------------------------
# Follow-up: the coordinator's start page
# ---------------------------------------------------------------------------


@editor_required
def followup(request):
    items = selectors.follow_up_list(scope=request.scope)
    sections = [
        ("goal", items["goals"], _("Målsætninger")),
        ("initiative", items["initiatives"], _("Indsatser")),
    ]
    return render(request, "strategy/followup.html", {"sections": sections})
