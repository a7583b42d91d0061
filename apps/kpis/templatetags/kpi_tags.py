"""Template tags other apps' pages use to show KPI figures without importing `apps.kpis`
(the strategy app sits above kpis in the app map): `{% load kpi_tags %}`."""

from django import template

from apps.kpis.effect import initiative_effect as initiative_effect_for
from apps.kpis.goal_indicators import goal_indicator_block

register = template.Library()


@register.inclusion_tag("kpis/partials.html#goal_indicators", takes_context=True)
def goal_indicators(context, goal, scope):
    """`{% goal_indicators goal scope %}`: the goal's indicators as `scope` may see them
    (visibility and the small-number rule), with value, baseline, target, trajectory status
    and chart, and for coordinators the form that links and unlinks indicators. The chart
    data goes out with json_script as "goal-indicator-charts" (static/js/kpis.js draws it)."""
    return {
        "block": goal_indicator_block(goal=goal, scope=scope),
        "csrf_token": context.get("csrf_token"),
        "request": context.get("request"),
    }


@register.inclusion_tag("kpis/partials.html#initiative_effect")
def initiative_effect(initiative, scope):
    """`{% initiative_effect initiative scope %}`: each indicator that follows the
    initiative's goals, before and after its implementation year, with means, change, the
    counts behind them, cautions and the other initiatives in the window
    (`apps.kpis.effect.initiative_effect`)."""
    return {"effect": initiative_effect_for(initiative, scope)}
