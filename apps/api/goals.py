"""GET /api/v1/goals/: a strategy's goals with their status, the status their indicators
suggest, owner, follow-up date and links to indicators and initiatives.

Scoped like the strategy pages: every role of a municipality that reads its strategy
(coordinators, leaders, HR, admins) gets all of its goals, as the strategy grid shows them.
A strategy is a public, politically adopted document, so KKR analysts, who compare
municipalities, may read any municipality's goals (the API's `municipality` rule); the owner,
a named member of staff, is left out (null) for them. Four queries whatever the number of
goals: the strategy, the goals with focus area and owner, their indicators, their initiatives.
"""

from __future__ import annotations

import contextlib

from django.db.models import Prefetch, Q
from django.utils.translation import gettext as _

from apps.api.auth import api_error, api_view
from apps.api.schema import DEPARTMENT_RANGE, ID_RANGE
from apps.api.views import BadRequest, _integer, _json, _parse_municipality, _single
from apps.core.scoping import Scope, all_municipalities
from apps.dashboards.goal_overview import person_name, strategy_in_force
from apps.kpis.models import Indicator
from apps.organisation.models import Department
from apps.strategy.models import Goal, Initiative, Strategy

_PARAMETERS = ("municipality", "strategy", "department")


def _goal_json(goal: Goal, *, show_owner: bool) -> dict:
    return {
        "id": goal.pk,
        "text": goal.text,
        "strategy": goal.focus_area.strategy_id,
        "focus_area": goal.focus_area_id,
        "department": goal.department_id,
        "owner": person_name(goal.owner) if show_owner else None,
        "follow_up_date": goal.follow_up_on.isoformat() if goal.follow_up_on else None,
        "status": goal.status,
        "suggested_status": goal.suggested_status or None,
        "indicators": sorted(i.pk for i in goal.indicators.all()),
        "initiatives": sorted(i.pk for i in goal.initiatives.all()),
    }


def _reads_strategy_of(scope: Scope, municipality_id: int) -> bool:
    """May read the municipality's strategy pages (and so its goals' owners)."""
    own = scope.all_municipalities or municipality_id == scope.municipality_id
    return own and scope.can_read_strategy


@api_view
def goal_list(request):
    """GET /api/v1/goals/?municipality=&strategy=&department="""
    scope = request.scope
    try:
        params = {name: _single(request.GET, name) for name in _PARAMETERS}
        municipality = _parse_municipality(params["municipality"], scope)
        own = scope.all_municipalities or municipality.pk == scope.municipality_id
        # Another municipality's goals (KKR analysts): the tenancy guard is lifted for this
        # read only, and every query below is filtered on that municipality.
        with all_municipalities() if not own else contextlib.nullcontext():
            return _json({"results": _goals(scope, municipality, params, own=own)})
    except BadRequest as exc:
        return api_error(exc.message, exc.status)


def _goals(scope: Scope, municipality, params: dict, *, own: bool) -> list[dict]:
    strategies = (Strategy.objects.in_scope(scope) if own else Strategy.objects).filter(
        municipality=municipality
    )
    if params["strategy"] is not None:
        pk = _integer(params["strategy"], ID_RANGE, _("strategy skal være en strategis id."))
        strategy = strategies.filter(pk=pk).first()
        if strategy is None:
            raise BadRequest(_("Strategien findes ikke."), 404)
    else:
        strategy = strategy_in_force(strategies)
    department = params["department"]
    if department is not None:
        department = _integer(
            department, DEPARTMENT_RANGE, _("department skal være et fagområdes id.")
        )
        departments = (
            Department.objects.of_municipality(scope) if own else Department.objects
        ).filter(municipality=municipality)
        if not departments.filter(pk=department).exists():
            raise BadRequest(_("Fagområdet findes ikke."), 404)
    if strategy is None:
        return []
    goals = (Goal.objects.in_scope(scope) if own else Goal.objects.all()).filter(
        focus_area__strategy=strategy
    )
    if department is not None:
        # A department's goals and the fælles mål, which are every department's too (as on
        # the department's dashboard).
        goals = goals.filter(Q(department_id=department) | Q(department__isnull=True))
    indicators = Indicator.objects.visible_to(scope).only("id")
    goals = (
        goals.select_related("focus_area", "owner")
        .prefetch_related(
            Prefetch("indicators", queryset=indicators),
            Prefetch("initiatives", queryset=Initiative.objects.only("id")),
        )
        .order_by("focus_area__order", "focus_area_id", "department_id", "order", "id")
    )
    show_owner = _reads_strategy_of(scope, municipality.pk)
    return [_goal_json(g, show_owner=show_owner) for g in goals]
