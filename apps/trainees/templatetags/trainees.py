"""Template helpers for the people pages: dropout reasons as the viewer may see them, status
badges, and the change history in Danish."""

import re

from django import template
from django.core.exceptions import FieldDoesNotExist
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

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


AUDIT_ACTIONS = {
    "created": _("Oprettet"),
    "updated": _("Rettet"),
    "deleted": _("Slettet"),
    "anonymised": _("Anonymiseret"),
    "imported": _("Importeret"),
    "undone": _("Import fortrudt"),
}
ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


@register.filter
def audit_action(action: str) -> str:
    """A Danish label for an audit action such as "trainees.trainee.updated"."""
    return AUDIT_ACTIONS.get(action.rsplit(".", 1)[-1], action)


@register.filter
def audit_field(name: str, obj) -> str:
    """The Danish label of the changed field `name` of `obj`'s model."""
    try:
        return capfirst(obj._meta.get_field(name).verbose_name)
    except FieldDoesNotExist:
        return name


@register.filter
def audit_value(value) -> str:
    """An old or new value as a person reads it: Ja/Nej, dd-mm-åååå, "–" for empty."""
    if value is None or value == "":
        return "–"
    if value is True:
        return _("Ja")
    if value is False:
        return _("Nej")
    if isinstance(value, str) and ISO_DATE.match(value):
        return f"{value[8:10]}-{value[5:7]}-{value[0:4]}"
    return str(value)
