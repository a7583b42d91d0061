"""Strategy pages: the grid with in-place goal editing (htmx), goals, initiatives, follow-up.

Views resolve the scope, parse input with a form, call one service or selector and render.
Every lookup starts from `in_scope(request.scope)` (404 outside it); writes need
`can_edit_strategy` (403 otherwise), except status notes, which leaders may post on their
own department's items (`permissions.can_post_status`).
"""

from __future__ import annotations

import copy

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from django_htmx.http import reswap, retarget

from apps.accounts.decorators import scope_required
from apps.organisation.models import Department
from apps.strategy import selectors, services
from apps.strategy.filters import InitiativeFilter
from apps.strategy.forms import (
    FocusAreaForm,
    GoalForm,
    InitiativeForm,
    StatusUpdateForm,
    StrategyCopyForm,
    StrategyForm,
)
from apps.strategy.models import FocusArea, Goal, Initiative, Strategy
from apps.strategy.permissions import can_post_status, strategy_reader_required
from apps.strategy.reminders import reminder_send

editor_required = scope_required(allow="can_edit_strategy")


# ---------------------------------------------------------------------------
# Helpers
# ---------------------------------------------------------------------------


def _strategy(request, pk: int) -> Strategy:
    return get_object_or_404(Strategy.objects.in_scope(request.scope), pk=pk)


def _goal(request, pk: int) -> Goal:
    return get_object_or_404(
        Goal.objects.in_scope(request.scope).select_related(
            "focus_area__strategy", "department", "owner"
        ),
        pk=pk,
    )


def _initiative(request, pk: int) -> Initiative:
    return get_object_or_404(
        Initiative.objects.in_scope(request.scope).select_related(
            "strategy", "focus_area", "goal", "department", "owner"
        ),
        pk=pk,
    )


def _error_messages(exc: ValidationError) -> list[str]:
    return [str(m) for m in exc.messages]


def _apply_errors(form, exc: ValidationError) -> None:
    """Put a service's ValidationError next to its field (or on the form)."""
    if hasattr(exc, "error_dict"):
        for name, errors in exc.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, exc)


def _rebound_with_current_version(form_class, request, obj, **kwargs):
    """The editor's own input again, now carrying the current version: saving once more is
    a deliberate choice to overwrite the other person's change, never a silent one.
    `obj` (the page's copy) is refreshed so the page shows the other person's values."""
    obj.refresh_from_db()
    instance = copy.copy(obj)
    data = request.POST.copy()
    data[f"{kwargs['prefix']}-version" if kwargs.get("prefix") else "version"] = obj.version
    form = form_class(data, instance=instance, **kwargs)
    form.is_valid()
    return form


def _conflict_context(exc: services.EditConflict) -> dict:
    return {"conflict": True, "conflict_entries": selectors.describe(reversed(exc.entries))}


def _grid_flags(request, strategy: Strategy) -> dict:
    can_edit = request.scope.can_edit_strategy and not strategy.is_read_only
    return {"can_edit": can_edit, "strategy": strategy, "scope": request.scope}


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
            _apply_errors(form, exc)
        else:
            messages.success(request, _("Strategien er oprettet som udkast."))
            return redirect("strategy:strategy_detail", pk=strategy.pk)
    return render(request, "strategy/strategy_form.html", {"form": form, "strategy": None})


@strategy_reader_required
def strategy_detail(request, pk: int):
    strategy = _strategy(request, pk)
    context = _grid_flags(request, strategy)
    context.update(selectors.strategy_grid(strategy=strategy, scope=request.scope))
    context["history"] = selectors.strategy_history(strategy, limit=20)
    context["copy_form"] = StrategyCopyForm()
    return render(request, "strategy/strategy_detail.html", context)


@strategy_reader_required
def focus_area_detail(request, pk: int):
    area = get_object_or_404(
        FocusArea.objects.in_scope(request.scope).select_related("strategy", "kkr_theme"), pk=pk
    )
    strategy = area.strategy
    context = _grid_flags(request, strategy)
    context.update(
        selectors.strategy_grid(strategy=strategy, scope=request.scope, focus_area_id=area.pk)
    )
    context.update({"focus_area": area, "history": selectors.item_history(area)})
    return render(request, "strategy/focusarea_detail.html", context)


@editor_required
def strategy_update(request, pk: int):
    strategy = _strategy(request, pk)
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
            context.update(_conflict_context(exc))
            form = _rebound_with_current_version(StrategyForm, request, strategy)
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("Strategien er gemt."))
            return redirect("strategy:strategy_detail", pk=strategy.pk)
    context["form"] = form
    return render(request, "strategy/strategy_form.html", context)


def _lifecycle(service, success: str):
    @require_POST
    @editor_required
    def view(request, pk: int):
        strategy = _strategy(request, pk)
        try:
            service(
                strategy=strategy,
                actor=request.user,
                expected_version=request.POST.get("version"),
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
            for message in _error_messages(exc):
                messages.error(request, message)
        else:
            messages.success(request, success)
        return redirect("strategy:strategy_detail", pk=strategy.pk)

    return view


strategy_adopt = _lifecycle(
    services.strategy_adopt, gettext_lazy("Strategien er vedtaget og kan nu kun læses.")
)
strategy_reopen = _lifecycle(
    services.strategy_reopen, gettext_lazy("Strategien er genåbnet som udkast.")
)
strategy_archive = _lifecycle(services.strategy_archive, gettext_lazy("Strategien er arkiveret."))


@editor_required
def strategy_copy(request, pk: int):
    strategy = _strategy(request, pk)
    form = StrategyCopyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            new = services.strategy_copy(
                strategy=strategy,
                actor=request.user,
                version_label=form.cleaned_data["version_label"],
            )
        except ValidationError as exc:
            _apply_errors(form, exc)
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
    strategy = _strategy(request, pk)
    form = FocusAreaForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            area = services.focus_area_create(
                strategy=strategy, actor=request.user, data=form.cleaned_data
            )
        except ValidationError as exc:
            _apply_errors(form, exc)
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
            context.update(_conflict_context(exc))
            form = _rebound_with_current_version(FocusAreaForm, request, area)
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("Indsatsområdet er gemt."))
            return redirect("strategy:focus_area_detail", pk=area.pk)
    context["form"] = form
    return render(request, "strategy/focusarea_form.html", context)


# ---------------------------------------------------------------------------
# Goals: in-place editing in the grid
# ---------------------------------------------------------------------------


def _render_cell(request, area: FocusArea, department: Department | None, **extra):
    cell = selectors.grid_cell(focus_area=area, department=department, scope=request.scope)
    context = _grid_flags(request, area.strategy) | {"cell": cell} | extra
    return render(request, "strategy/grid.html#cell", context)


def _render_goal_item(request, goal: Goal, **extra):
    is_first, is_last = selectors.goal_position(goal)
    context = _grid_flags(request, goal.focus_area.strategy) | {
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
            _apply_errors(form, exc)
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
    context = _grid_flags(request, area.strategy) | {"form": form, "cell": cell}
    if request.GET.get("annuller"):
        return render(request, "strategy/grid.html#goal_add_button", context | {"focus_add": True})
    return render(request, "strategy/grid.html#goal_create_form", context)


@strategy_reader_required
def goal_item(request, pk: int):
    """The goal as shown in its grid cell (used by "Annullér" in the inline form)."""
    return _render_goal_item(request, _goal(request, pk), focus_goal=pk)


@editor_required
def goal_update(request, pk: int):
    """In the grid (htmx): GET the inline form, POST to save and get the goal back.
    Without htmx the full form on the goal's page posts here."""
    goal = _goal(request, pk)
    inline = bool(request.htmx) and request.GET.get("full") != "1"
    strategy = goal.focus_area.strategy
    kwargs = {"strategy": strategy, "with_department": not inline}
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
            conflict = _conflict_context(exc)
            form = _rebound_with_current_version(GoalForm, request, goal, **kwargs)
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            if inline:
                return _render_goal_item(request, _goal(request, goal.pk), saved=True)
            messages.success(request, _("Målsætningen er gemt."))
            return redirect("strategy:goal_detail", pk=goal.pk)
    if inline:
        return render(
            request,
            "strategy/grid.html#goal_form",
            _grid_flags(request, strategy) | {"form": form, "goal": goal} | conflict,
        )
    if request.method == "GET":
        return redirect(reverse("strategy:goal_detail", args=[goal.pk]) + "#rediger")
    return _goal_detail_page(request, goal, form=form, **conflict)


@require_POST
@editor_required
def goal_move(request, pk: int):
    goal = _goal(request, pk)
    try:
        services.goal_move(goal=goal, actor=request.user, direction=request.POST.get("direction"))
    except ValidationError as exc:
        if not request.htmx:
            for message in _error_messages(exc):
                messages.error(request, message)
        else:
            return _render_cell(
                request, goal.focus_area, goal.department, cell_errors=_error_messages(exc)
            )
    if not request.htmx:
        return redirect("strategy:focus_area_detail", pk=goal.focus_area_id)
    return _render_cell(request, goal.focus_area, goal.department, focus_goal=goal.pk)


@require_POST
@editor_required
def goal_delete(request, pk: int):
    goal = _goal(request, pk)
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
        errors = _error_messages(exc)
    if not request.htmx:
        for message in errors:
            messages.error(request, message)
        if not errors:
            messages.success(request, _("Målsætningen er fjernet."))
        return redirect("strategy:focus_area_detail", pk=area.pk)
    deleted = None if errors else _("Målsætningen er fjernet.")
    return _render_cell(request, area, department, cell_errors=errors, cell_message=deleted)


# ---------------------------------------------------------------------------
# Goal page: details, status notes, history
# ---------------------------------------------------------------------------


def _goal_detail_page(request, goal: Goal, *, form=None, status_form=None, **extra):
    strategy = goal.focus_area.strategy
    can_edit = request.scope.can_edit_strategy and not strategy.is_read_only
    may_post = can_post_status(request.scope, department_id=goal.department_id)
    if can_edit and form is None:
        form = GoalForm(instance=goal, strategy=strategy)
    if may_post and status_form is None:
        status_form = StatusUpdateForm(kind="goal", initial_status=goal.status)
    context = {
        "goal": goal,
        "strategy": strategy,
        "can_edit": can_edit,
        "can_post": may_post and strategy.status != "archived",
        "form": form if can_edit else None,
        "status_form": status_form,
        "timeline": selectors.status_timeline(goal),
        "history": selectors.item_history(goal),
        "initiatives": goal.initiatives.all(),
        "mine": request.scope.is_leader and request.scope.sees_department(goal.department_id),
    }
    return render(request, "strategy/goal_detail.html", context | extra)


@strategy_reader_required
def goal_detail(request, pk: int):
    return _goal_detail_page(request, _goal(request, pk))


def _post_status(request, item, kind: str):
    if not can_post_status(request.scope, department_id=item.department_id):
        raise PermissionDenied
    form = StatusUpdateForm(request.POST, kind=kind)
    if form.is_valid():
        try:
            services.status_update_create(
                actor=request.user,
                status=form.cleaned_data["status"],
                note=form.cleaned_data["note"],
                **{kind: item},
            )
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("Statusopdateringen er gemt."))
            return None
    return form


@require_POST
@scope_required
def goal_status(request, pk: int):
    goal = _goal(request, pk)
    form = _post_status(request, goal, "goal")
    if form is None:
        return redirect(reverse("strategy:goal_detail", args=[goal.pk]) + "#status")
    return _goal_detail_page(request, goal, status_form=form)


def _remind(request, item) -> HttpResponse:
    try:
        address = reminder_send(item=item, actor=request.user)
    except ValidationError as exc:
        for message in _error_messages(exc):
            messages.error(request, message)
    else:
        messages.success(request, _("Påmindelse sendt til %(email)s.") % {"email": address})
    next_url = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
        return redirect(next_url)
    return redirect("strategy:followup")


@require_POST
@editor_required
def goal_remind(request, pk: int):
    return _remind(request, _goal(request, pk))


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


def _initiative_detail_page(request, initiative: Initiative, *, status_form=None):
    strategy = initiative.strategy
    may_post = can_post_status(request.scope, department_id=initiative.department_id)
    if may_post and status_form is None:
        status_form = StatusUpdateForm(kind="initiative", initial_status=initiative.status)
    context = {
        "initiative": initiative,
        "strategy": strategy,
        "can_edit": request.scope.can_edit_strategy and not strategy.is_read_only,
        "can_post": may_post and strategy.status != "archived",
        "status_form": status_form,
        "timeline": selectors.status_timeline(initiative),
        "history": selectors.item_history(initiative),
    }
    return render(request, "strategy/initiative_detail.html", context)


@strategy_reader_required
def initiative_detail(request, pk: int):
    return _initiative_detail_page(request, _initiative(request, pk))


@editor_required
def initiative_create(request, pk: int):
    strategy = _strategy(request, pk)
    form = InitiativeForm(request.POST or None, strategy=strategy)
    if request.method == "POST" and form.is_valid():
        try:
            initiative = services.initiative_create(
                strategy=strategy, actor=request.user, data=form.cleaned_data
            )
        except ValidationError as exc:
            _apply_errors(form, exc)
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
    initiative = _initiative(request, pk)
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
            context.update(_conflict_context(exc))
            form = _rebound_with_current_version(
                InitiativeForm, request, initiative, strategy=strategy
            )
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("Indsatsen er gemt."))
            return redirect("strategy:initiative_detail", pk=initiative.pk)
    context["form"] = form
    return render(request, "strategy/initiative_form.html", context)


@require_POST
@scope_required
def initiative_status(request, pk: int):
    initiative = _initiative(request, pk)
    form = _post_status(request, initiative, "initiative")
    if form is None:
        return redirect(reverse("strategy:initiative_detail", args=[initiative.pk]) + "#status")
    return _initiative_detail_page(request, initiative, status_form=form)


@require_POST
@editor_required
def initiative_remind(request, pk: int):
    return _remind(request, _initiative(request, pk))


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
