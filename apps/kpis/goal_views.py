"""The goal page's indicator form posts here: coordinators link and unlink a goal's
indicators (apps/kpis/goal_links.py), then return to the goal's page."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from apps.accounts.decorators import scope_required
from apps.kpis.goal_links import goal_indicator_link, goal_indicator_unlink
from apps.kpis.models import Indicator
from apps.strategy.models import Goal


def _goal(request, pk: int) -> Goal:
    return get_object_or_404(
        Goal.objects.in_scope(request.scope).select_related("focus_area__strategy"), pk=pk
    )


def _back(goal: Goal):
    return redirect(reverse("strategy:goal_detail", args=[goal.pk]) + "#noegletal")


def _apply(request, goal: Goal, indicator: Indicator, service, done: str):
    try:
        service(goal=goal, indicator=indicator, actor=request.user)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, done % {"name": indicator.name})
    return _back(goal)


@require_POST
@scope_required(allow="can_edit_strategy")
def goal_indicator_link_view(request, goal_pk: int):
    goal = _goal(request, goal_pk)
    raw = request.POST.get("indicator", "")
    indicator = (
        Indicator.objects.in_scope(request.scope).filter(pk=raw).first() if raw.isdigit() else None
    )
    if indicator is None:
        messages.error(request, _("Vælg et af kommunens nøgletal på listen “Tilknyt et nøgletal”."))
        return _back(goal)
    return _apply(
        request, goal, indicator, goal_indicator_link, _("Nøgletallet %(name)s er tilknyttet.")
    )


@require_POST
@scope_required(allow="can_edit_strategy")
def goal_indicator_unlink_view(request, goal_pk: int, pk: int):
    goal = _goal(request, goal_pk)
    indicator = get_object_or_404(Indicator.objects.in_scope(request.scope), pk=pk)
    return _apply(
        request, goal, indicator, goal_indicator_unlink, _("Nøgletallet %(name)s er fjernet.")
    )
