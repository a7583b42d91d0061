"""Template helpers of the strategy pages: the labelled status badge."""

from django import template
from django.utils.html import format_html
from django.utils.translation import gettext as _

from apps.strategy.choices import GoalStatus, InitiativeStatus, StrategyStatus, SuggestedStatus

register = template.Library()

# Colour is only the second cue: the badge always carries the status label.
BADGE_CLASS = {
    GoalStatus.NOT_STARTED: "status-neutral",
    GoalStatus.IN_PROGRESS: "status-info",
    GoalStatus.ON_TRACK: "status-good",
    GoalStatus.BEHIND: "status-warn",
    GoalStatus.ACHIEVED: "status-good",
    GoalStatus.NOT_ACHIEVED: "status-bad",
    InitiativeStatus.IDEA: "status-neutral",
    InitiativeStatus.PROPOSAL: "status-neutral",
    InitiativeStatus.PLANNED: "status-info",
    InitiativeStatus.AWAITING: "status-warn",
    InitiativeStatus.PARTIALLY_IMPLEMENTED: "status-info",
    InitiativeStatus.IMPLEMENTED: "status-good",
    InitiativeStatus.NOT_IMPLEMENTED: "status-bad",
    StrategyStatus.DRAFT: "status-info",
    StrategyStatus.ADOPTED: "status-good",
    StrategyStatus.ARCHIVED: "status-neutral",
}

LABELS = {
    "goal": dict(GoalStatus.choices),
    "initiative": dict(InitiativeStatus.choices),
    "strategy": dict(StrategyStatus.choices),
}


@register.simple_tag
def status_badge(value: str, kind: str = "goal") -> str:
    """`{% status_badge goal.status %}` → `<span class="status-badge status-good">Nået</span>`."""
    label = LABELS.get(kind, {}).get(value, value)
    return format_html(
        '<span class="status-badge {}">{}</span>', BADGE_CLASS.get(value, "status-neutral"), label
    )


SUGGESTED_CLASS = {
    SuggestedStatus.ACHIEVED: "status-good",
    SuggestedStatus.ON_TRACK: "status-info",
    SuggestedStatus.BEHIND: "status-bad",
    SuggestedStatus.NO_DATA: "status-neutral",
}


@register.simple_tag
def suggested_badge(value: str) -> str:
    """`{% suggested_badge goal.suggested_status %}` → the status the goal's indicators
    suggest, labelled as such: `<span class="status-badge kpi-badge status-bad">Nøgletal:
    Bagud</span>`; nothing for a goal without indicators (blank)."""
    if not value:
        return ""
    label = dict(SuggestedStatus.choices).get(value, value)
    return format_html(
        '<span class="status-badge kpi-badge {}">{}</span>',
        SUGGESTED_CLASS.get(value, "status-neutral"),
        _("Nøgletal: %(status)s") % {"status": label},
    )
