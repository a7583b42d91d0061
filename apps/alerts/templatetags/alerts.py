"""`{% load alerts %}`: a trainee's absence warnings on pages of apps above this one in the
app map (the trainee page), which may not import it. Scoped by the request's scope."""

from django import template
from django.utils.translation import gettext_lazy as _

from apps.alerts.selectors import month_trend, trainee_flags

register = template.Library()


@register.simple_tag(takes_context=True)
def absence_flags_of(context, trainee) -> list:
    """[(flag, trend), …] of `trainee` that the viewer may see, current first."""
    request = context.get("request")
    scope = getattr(request, "scope", None)
    if scope is None or not scope.can_see_persons:
        return []
    return [(flag, month_trend(flag)) for flag in trainee_flags(scope=scope, trainee=trainee)]


FLAG_ACTIONS = {
    "alerts.absenceflag.opened": _("Markeret: sygefravær over tærsklen"),
    "alerts.absenceflag.closed": _("Lukket"),
    "alerts.absenceflag.set_in_motion": _("Sat i gang"),
}


@register.filter
def flag_action(action: str) -> str:
    """A Danish label for an audit action of a flag."""
    return FLAG_ACTIONS.get(action, action)
