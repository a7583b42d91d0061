"""Goals: in-place editing in the grid (htmx fragments), the goal page and status notes."""

from __future__ import annotations

import copy

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from django_htmx.http import reswap, retarget

from apps.accounts.decorators import scope_required
from apps.core.forms import apply_errors
from apps.organisation.models import Department
from apps.strategy import selectors, services
from apps.strategy.choices import SUGGESTED_GOAL_STATUS
from apps.strategy.forms import GoalForm, GoalStatusOverrideForm, StatusUpdateForm
from apps.strategy.models import FocusArea, Goal
from apps.strategy.permissions import (
    can_decide_goal_status,
    can_post_status,
    strategy_reader_required,
)
from apps.strategy.views.common import (
    conflict_context,
    editor_required,
    error_messages,
    goal_or_404,
    grid_flags,
    post_status,
    rebound_with_current_version,
    remind,
)

# ---------------------------------------------------------------------------
# Goals: in-place editing in the grid
# ---------------------------------------------------------------------------


def _render_cell(request, area: FocusArea, department: Department | None, **extra):
    cell = selectors.grid_cell(focus_area=area, department=department, scope=request.scope)
    context = grid_flags(request, area.strategy) | {"cell": cell} | extra
    return render(request, "strategy/grid.html#cell", context)


def _render_goal_item(request, goal: Goal, **extra):
    is_first, is_last = selectors.goal_position(goal)
    context = grid_flags(request, goal.focus_area.strategy) | {
        "goal": goal,
        "is_first": is_first,
        "is_last": is_last,
    }
    return render(request, "strategy/grid.html#goal_item", context | extra)


def _cell_department(request, area: FocusArea, raw: str | None) -> Department | None:
    if not raw:
        return None
    if not raw.isdigit():
        raise Http404
    return get_object_or_404(
        Department.objects.filter(municipality_id=area.strategy.municipality_id), pk=raw
    )


@editor_required
def goal_create(request, pk: int):
    """GET: the add form inside a grid cell. POST: add the goal and re-render the cell."""
    area = get_object_or_404(
        FocusArea.objects.in_scope(request.scope).select_related("strategy"), pk=pk
    )
    department = _cell_department(
        request, area, request.POST.get("department") or request.GET.get("department")
    )
    prefix = f"ny-{area.pk}-{department.pk if department else 'faelles'}"
    form = GoalForm(
        request.POST or None, strategy=area.strategy, with_department=False, prefix=prefix
    )
    if request.method == "POST" and form.is_valid():
        try:
            goal = services.goal_create(
                focus_area=area,
                actor=request.user,
                data=form.cleaned_data | {"department": department},
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            if not request.htmx:
                messages.success(request, _("Målsætningen er tilføjet."))
                return redirect("strategy:goal_detail", pk=goal.pk)
            response = _render_cell(
                request,
                area,
                department,
                focus_goal=goal.pk,
                cell_message=_("Målsætningen er tilføjet."),
            )
            cell_id = selectors.GridCell(focus_area=area, department=department).dom_id
            return reswap(retarget(response, f"#{cell_id}"), "outerHTML")
    if not request.htmx:
        return redirect(reverse("strategy:focus_area_detail", args=[area.pk]))
    cell = selectors.GridCell(focus_area=area, department=department)
    context = grid_flags(request, area.strategy) | {"form": form, "cell": cell}
    if request.GET.get("annuller"):
        return render(request, "strategy/grid.html#goal_add_button", context | {"focus_add": True})
    return render(request, "strategy/grid.html#goal_create_form", context)


@strategy_reader_required
def goal_item(request, pk: int):
    """The goal as shown in its grid cell (used by "Annullér" in the inline form)."""
    return _render_goal_item(request, goal_or_404(request, pk), focus_goal=pk)


@editor_required
def goal_update(request, pk: int):
    """In the grid (htmx): GET the inline form, POST to save and get the goal back.
    Without htmx the full form on the goal's page posts here."""
    goal = goal_or_404(request, pk)
    inline = bool(request.htmx) and request.GET.get("full") != "1"
    strategy = goal.focus_area.strategy
    if inline and request.method == "GET" and strategy.status == "archived":
        try:
            services.ensure_editable(strategy)
        except ValidationError as exc:
            return _render_goal_item(request, goal, item_errors=error_messages(exc))
    # The goal page's form leaves the status to "Status og opfølgning" (status with a note);
    # the grid's inline form keeps it, as the grid has no status form.
    kwargs = {"strategy": strategy, "with_department": not inline, "with_status": inline}
    if inline:
        kwargs["prefix"] = f"maal-{goal.pk}"
    form = GoalForm(request.POST or None, instance=copy.copy(goal), **kwargs)
    conflict = {}
    if request.method == "POST" and form.is_valid():
        try:
            goal = services.goal_update(
                goal=goal,
                actor=request.user,
                data=form.cleaned_data,
                expected_version=form.cleaned_data["version"],
            )
        except services.EditConflict as exc:
            conflict = conflict_context(exc)
            form = rebound_with_current_version(GoalForm, request, goal, **kwargs)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            if inline:
                return _render_goal_item(request, goal_or_404(request, goal.pk), saved=True)
            messages.success(request, _("Målsætningen er gemt."))
            return redirect("strategy:goal_detail", pk=goal.pk)
    if inline:
        return render(
            request,
            "strategy/grid.html#goal_form",
            grid_flags(request, strategy) | {"form": form, "goal": goal} | conflict,
        )
    if request.method == "GET":
        return redirect(reverse("strategy:goal_detail", args=[goal.pk]) + "#rediger")
    return _goal_detail_page(request, goal, form=form, **conflict)


@require_POST
@editor_required
def goal_move(request, pk: int):
    goal = goal_or_404(request, pk)
    try:
        services.goal_move(goal=goal, actor=request.user, direction=request.POST.get("direction"))
    except ValidationError as exc:
        if not request.htmx:
            for message in error_messages(exc):
                messages.error(request, message)
        else:
            return _render_cell(
                request, goal.focus_area, goal.department, cell_errors=error_messages(exc)
            )
    if not request.htmx:
        return redirect("strategy:focus_area_detail", pk=goal.focus_area_id)
    # Focus stays on the arrow just pressed, so moving a goal several places is one key
    # pressed several times; at the top or bottom that arrow is disabled, so the other one.
    is_first, is_last = selectors.goal_position(goal)
    direction = request.POST.get("direction")
    if (direction == "up" and is_first) or (direction == "down" and is_last):
        direction = "down" if direction == "up" else "up"
    if is_first and is_last:
        direction = None
    return _render_cell(
        request, goal.focus_area, goal.department, focus_goal=goal.pk, focus_move=direction
    )


@require_POST
@editor_required
def goal_delete(request, pk: int):
    goal = goal_or_404(request, pk)
    area, department = goal.focus_area, goal.department
    errors = []
    try:
        services.goal_delete(
            goal=goal, actor=request.user, expected_version=request.POST.get("version")
        )
    except services.EditConflict:
        errors = [
            _(
                "Målsætningen er ændret af en anden, siden du åbnede siden, så den er ikke "
                "fjernet. Se ændringen og prøv igen."
            )
        ]
    except ValidationError as exc:
        errors = error_messages(exc)
    if not request.htmx:
        for message in errors:
            messages.error(request, message)
        if not errors:
            messages.success(request, _("Målsætningen er fjernet."))
        return redirect("strategy:focus_area_detail", pk=area.pk)
    deleted = None if errors else _("Målsætningen er fjernet.")
    # The removed goal's buttons are gone; keyboard focus stays in the cell, on "Tilføj".
    return _render_cell(
        request, area, department, cell_errors=errors, cell_message=deleted, focus_add=True
    )


# ---------------------------------------------------------------------------
# Goal page: details, status notes, history
# ---------------------------------------------------------------------------


def _goal_detail_page(
    request, goal: Goal, *, form=None, status_form=None, override_form=None, **extra
):
    strategy = goal.focus_area.strategy
    can_decide = (
        can_decide_goal_status(request.scope, goal=goal)
        and strategy.status != "archived"
        and bool(goal.suggested_status)
    )
    if can_decide and override_form is None:
        override_form = GoalStatusOverrideForm(goal=goal)
    can_edit = request.scope.can_edit_strategy and not strategy.is_read_only
    can_follow_up = request.scope.can_edit_strategy and strategy.status != "archived"
    may_post = can_post_status(request.scope, department_id=goal.department_id)
    if can_follow_up and form is None:
        form = GoalForm(instance=goal, strategy=strategy, with_status=False)
    if may_post and status_form is None:
        status_form = StatusUpdateForm(kind="goal", initial_status=goal.status)
    context = {
        "goal": goal,
        "strategy": strategy,
        "can_edit": can_edit,
        "can_follow_up": can_follow_up,
        "can_post": may_post and strategy.status != "archived",
        "form": form if can_follow_up else None,
        "status_form": status_form,
        "timeline": selectors.status_timeline(goal),
        "history": selectors.item_history(goal),
        "initiatives": goal.initiatives.select_related("department").order_by("order", "id"),
        "mine": request.scope.owns_department(goal.department_id),
        "can_decide": can_decide,
        "override_form": override_form if can_decide else None,
        "suggested_goal_status": SUGGESTED_GOAL_STATUS.get(goal.suggested_status, ""),
        "decision_current": bool(goal.status_decided_at)
        and goal.status_decided_suggestion == goal.suggested_status,
    }
    return render(request, "strategy/goal_detail.html", context | extra)


@strategy_reader_required
def goal_detail(request, pk: int):
    return _goal_detail_page(request, goal_or_404(request, pk))


@require_POST
@scope_required
def goal_status(request, pk: int):
    goal = goal_or_404(request, pk)
    form = post_status(request, goal, "goal")
    if form is None:
        return redirect(reverse("strategy:goal_detail", args=[goal.pk]) + "#status")
    return _goal_detail_page(request, goal, status_form=form)


@require_POST
@editor_required
def goal_remind(request, pk: int):
    return remind(request, goal_or_404(request, pk))


# ---------------------------------------------------------------------------
# The owner's answer to the indicators' suggested status
# ---------------------------------------------------------------------------


CONFLICT_TEXT = gettext_lazy(
    "Målsætningen er ændret af en anden, siden du åbnede siden. Se ændringen i historikken, "
    "og prøv igen."
)


def _decider_goal_or_404(request, pk: int) -> Goal:
    goal = goal_or_404(request, pk)
    if not can_decide_goal_status(request.scope, goal=goal):
        raise PermissionDenied
    return goal


def _decided(request, goal: Goal, message: str):
    messages.success(request, message)
    return redirect(reverse("strategy:goal_detail", args=[goal.pk]) + "#forslag")


@require_POST
@scope_required
def goal_suggestion_confirm(request, pk: int):
    """ "Bekræft forslaget": the goal takes the status its indicators suggest."""
    goal = _decider_goal_or_404(request, pk)
    try:
        services.goal_suggestion_confirm(
            goal=goal,
            actor=request.user,
            expected_version=request.POST.get("version"),
            expected_suggestion=request.POST.get("suggestion", ""),
        )
    except services.EditConflict:
        messages.error(request, CONFLICT_TEXT)
    except ValidationError as exc:
        for message in error_messages(exc):
            messages.error(request, message)
    else:
        return _decided(request, goal, _("Forslaget er bekræftet, og status er sat."))
    return redirect(reverse("strategy:goal_detail", args=[goal.pk]) + "#forslag")


@require_POST
@scope_required
def goal_status_override(request, pk: int):
    """ "Vælg anden status": another status than suggested, with a required reason."""
    goal = _decider_goal_or_404(request, pk)
    form = GoalStatusOverrideForm(request.POST, goal=goal)
    if form.is_valid():
        try:
            services.goal_status_override(
                goal=goal,
                actor=request.user,
                status=form.cleaned_data["status"],
                reason=form.cleaned_data["reason"],
                expected_version=form.cleaned_data["version"],
            )
        except services.EditConflict:
            # The page shows the other person's change; the owner's text stays in the form,
            # now with the current version, so saving again is a deliberate choice.
            goal.refresh_from_db()
            data = request.POST.copy()
            data[f"{form.prefix}-version"] = goal.version
            form = GoalStatusOverrideForm(data, goal=goal)
            form.is_valid()
            form.add_error(None, CONFLICT_TEXT)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            return _decided(request, goal, _("Status og begrundelse er gemt."))
    return _goal_detail_page(request, goal, override_form=form)
