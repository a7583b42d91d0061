"""Template helpers for the people pages: dropout reasons as the viewer may see them."""

from django import template

from apps.trainees import selectors

register = template.Library()


@register.simple_tag(takes_context=True)
def dropout_reason(context, trainee) -> str:
    """`{% dropout_reason trainee %}`: the reason, or "Fortrolig årsag" for roles without
    access to health data."""
    return selectors.visible_dropout_reason(trainee, context["request"].scope)


@register.simple_tag(takes_context=True)
def dropout_note(context, trainee) -> str:
    return selectors.visible_dropout_note(trainee, context["request"].scope)


STATUS_BADGES = {
    "active": "status-info",
    "completed": "status-good",
    "dropped_out": "status-bad",
    "leave": "status-warn",
}


@register.filter
def status_badge_class(status: str) -> str:
    return STATUS_BADGES.get(status, "status-neutral")
