"""Which indicators follow a goal: coordinators link and unlink them from the goal's page.

Each change is audited on the goal (its history shows it) and the goal's suggested status is
computed again at once (`apps.kpis.goal_status.suggest_goal_statuses`).
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from apps.core.audit import audit_record
from apps.kpis.goal_status import suggest_goal_statuses
from apps.kpis.models import Indicator
from apps.strategy.choices import StrategyStatus
from apps.strategy.models import Goal


def _names(indicators) -> str:
    return "; ".join(sorted(i.name for i in indicators))


def _change_links(*, goal: Goal, indicator: Indicator, actor, link: bool) -> Goal:
    with transaction.atomic():
        goal = (
            Goal.objects.select_for_update(of=("self",))
            .select_related("focus_area__strategy")
            .get(pk=goal.pk)
        )
        strategy = goal.focus_area.strategy
        if strategy.status == StrategyStatus.ARCHIVED:
            raise ValidationError(
                _("Strategien er arkiveret, så målsætningens nøgletal kan ikke ændres.")
            )
        if indicator.municipality_id != strategy.municipality_id:
            raise ValidationError({"indicator": _("Nøgletallet hører til en anden kommune.")})
        before = list(goal.indicators.all())
        linked = any(i.pk == indicator.pk for i in before)
        if link == linked:
            return goal  # nothing to change (a second click, or two tabs)
        if link:
            goal.indicators.add(indicator)
            after = [*before, indicator]
        else:
            goal.indicators.remove(indicator)
            after = [i for i in before if i.pk != indicator.pk]
        audit_record(
            actor=actor,
            action="strategy.goal.indicator_linked" if link else "strategy.goal.indicator_unlinked",
            obj=goal,
            changes={"indicators": [_names(before), _names(after)]},
            context={"strategy_id": strategy.pk, "indicator_id": indicator.pk},
            municipality_id=strategy.municipality_id,
        )
        suggest_goal_statuses(municipality_id=strategy.municipality_id, goal_ids=[goal.pk])
    goal.refresh_from_db(fields=["suggested_status", "suggested_at"])
    return goal


def goal_indicator_link(*, goal: Goal, indicator: Indicator, actor) -> Goal:
    """Let `indicator` follow `goal` (same municipality; not on an archived strategy, but on
    an adopted one: which figures follow a goal is follow-up, not the adopted text)."""
    return _change_links(goal=goal, indicator=indicator, actor=actor, link=True)


def goal_indicator_unlink(*, goal: Goal, indicator: Indicator, actor) -> Goal:
    """Stop `indicator` following `goal`; without indicators the goal has no suggestion."""
    return _change_links(goal=goal, indicator=indicator, actor=actor, link=False)
