"""Initiatives: the filtered list with budget totals, the detail page, edit and status."""

from __future__ import annotations

import copy

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from apps.accounts.decorators import scope_required
from apps.core.exports import audited_list_export
from apps.core.forms import apply_errors
from apps.strategy import selectors, services
from apps.strategy.exports import GOAL_EXPORT, INITIATIVE_EXPORT
from apps.strategy.filters import InitiativeFilter
from apps.strategy.forms import InitiativeForm, StatusUpdateForm
from apps.strategy.models import Initiative
from apps.strategy.permissions import can_post_status, strategy_reader_required
from apps.strategy.tasks import goal_export_task, initiative_export_task
from apps.strategy.views.common import (
    conflict_context,
    editor_required,
    initiative_or_404,
    post_status,
    rebound_with_current_version,
    remind,
    strategy_or_404,
)

# ---------------------------------------------------------------------------
# Initiatives
# ---------------------------------------------------------------------------


@strategy_reader_required
def initiative_list(request):
    filterset = InitiativeFilter(
        request.GET or None,
        queryset=selectors.initiative_queryset(scope=request.scope),
        scope=request.scope,
    )
    initiatives = filterset.qs
    context = {
        "filter": filterset,
        "initiatives": initiatives,
        "totals": selectors.initiative_totals(initiatives),
        "strategies": selectors.strategy_list(scope=request.scope).filter(status="draft")
        if request.scope.can_edit_strategy
        else [],
    }
    template = "strategy/initiative_list.html"
    if request.htmx and request.htmx.target == "initiative-results":
        template += "#results"
    return render(request, template, context)


@strategy_reader_required
def initiative_export(request):
    """The filtered initiative list as xlsx or csv (the list's own filters), audited."""
    return audited_list_export(request, export=INITIATIVE_EXPORT, task=initiative_export_task)


@strategy_reader_required
def goal_export(request):
    """The goals (filtered by strategy, focus area, department, status) as xlsx or csv."""
    return audited_list_export(request, export=GOAL_EXPORT, task=goal_export_task)


def _initiative_detail_page(request, initiative: Initiative, *, status_form=None):
    strategy = initiative.strategy
    may_post = can_post_status(request.scope, department_id=initiative.department_id)
    if may_post and status_form is None:
        status_form = StatusUpdateForm(kind="initiative", initial_status=initiative.status)
    context = {
        "initiative": initiative,
        "strategy": strategy,
        "can_edit": request.scope.can_edit_strategy and strategy.status != "archived",
        "can_post": may_post and strategy.status != "archived",
        "status_form": status_form,
        "timeline": selectors.status_timeline(initiative),
        "history": selectors.item_history(initiative),
    }
    return render(request, "strategy/initiative_detail.html", context)


@strategy_reader_required
def initiative_detail(request, pk: int):
    return _initiative_detail_page(request, initiative_or_404(request, pk))


@editor_required
def initiative_create(request, pk: int):
    strategy = strategy_or_404(request, pk)
    form = InitiativeForm(request.POST or None, strategy=strategy)
    if request.method == "POST" and form.is_valid():
        try:
            initiative = services.initiative_create(
                strategy=strategy, actor=request.user, data=form.cleaned_data
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Indsatsen er oprettet."))
            return redirect("strategy:initiative_detail", pk=initiative.pk)
    return render(
        request,
        "strategy/initiative_form.html",
        {"form": form, "strategy": strategy, "initiative": None},
    )


@editor_required
def initiative_update(request, pk: int):
    initiative = initiative_or_404(request, pk)
    strategy = initiative.strategy
    form = InitiativeForm(request.POST or None, instance=copy.copy(initiative), strategy=strategy)
    context = {"strategy": strategy, "initiative": initiative}
    if request.method == "POST" and form.is_valid():
        try:
            services.initiative_update(
                initiative=initiative,
                actor=request.user,
                data=form.cleaned_data,
                expected_version=form.cleaned_data["version"],
            )
        except services.EditConflict as exc:
            context.update(conflict_context(exc))
            form = rebound_with_current_version(
                InitiativeForm, request, initiative, strategy=strategy
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Indsatsen er gemt."))
            return redirect("strategy:initiative_detail", pk=initiative.pk)
    context["form"] = form
    return render(request, "strategy/initiative_form.html", context)


@require_POST
@scope_required
def initiative_status(request, pk: int):
    initiative = initiative_or_404(request, pk)
    form = post_status(request, initiative, "initiative")
    if form is None:
        return redirect(reverse("strategy:initiative_detail", args=[initiative.pk]) + "#status")
    return _initiative_detail_page(request, initiative, status_form=form)


@require_POST
@editor_required
def initiative_remind(request, pk: int):
    return remind(request, initiative_or_404(request, pk))
