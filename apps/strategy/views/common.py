"""Shared pieces of the strategy views: scoped lookups, form error handling, conflicts,
status notes and reminders."""

from __future__ import annotations

import copy

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from apps.accounts.decorators import scope_required
from apps.core.forms import apply_errors
from apps.strategy import selectors, services
from apps.strategy.forms import StatusUpdateForm
from apps.strategy.models import Goal, Initiative, Strategy
from apps.strategy.permissions import can_post_status
from apps.strategy.reminders import reminder_send

editor_required = scope_required(allow="can_edit_strategy")


def strategy_or_404(request, pk: int) -> Strategy:
    return get_object_or_404(Strategy.objects.in_scope(request.scope), pk=pk)


def goal_or_404(request, pk: int) -> Goal:
    return get_object_or_404(
        Goal.objects.in_scope(request.scope).select_related(
            "focus_area__strategy", "department", "owner", "status_decided_by"
        ),
        pk=pk,
    )


def initiative_or_404(request, pk: int) -> Initiative:
    return get_object_or_404(
        Initiative.objects.in_scope(request.scope).select_related(
            "strategy", "focus_area", "department", "owner"
        ),
        pk=pk,
    )


def error_messages(exc: ValidationError) -> list[str]:
    return [str(m) for m in exc.messages]


def rebound_with_current_version(form_class, request, obj, **kwargs):
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


def conflict_context(exc: services.EditConflict) -> dict:
    return {"conflict": True, "conflict_entries": selectors.describe(reversed(exc.entries))}


def grid_flags(request, strategy: Strategy) -> dict:
    """`can_edit`: everything may change (a draft). `can_follow_up`: the follow-up fields
    may change (a draft or an adopted strategy; services.rules.FOLLOW_UP_FIELDS)."""
    editor = request.scope.can_edit_strategy
    return {
        "can_edit": editor and not strategy.is_read_only,
        "can_follow_up": editor and strategy.status != "archived",
        "strategy": strategy,
        "scope": request.scope,
    }


def post_status(request, item, kind: str):
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
            apply_errors(form, exc)
        else:
            messages.success(request, _("Statusopdateringen er gemt."))
            return None
    return form


def remind(request, item) -> HttpResponse:
    try:
        address = reminder_send(item=item, actor=request.user)
    except ValidationError as exc:
        for message in error_messages(exc):
            messages.error(request, message)
    else:
        messages.success(request, _("Påmindelse sendt til %(email)s.") % {"email": address})
    next_url = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
        return redirect(next_url)
    return redirect("strategy:followup")
