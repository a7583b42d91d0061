"""Template helpers for the people pages: dropout reasons as the viewer may see them, status
badges, and the change history in Danish (masked for the viewer's role)."""

import re

from django import template
from django.core.exceptions import FieldDoesNotExist
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from apps.core.audit import AuditMask, meaning_label
from apps.trainees import selectors

register = template.Library()


@register.simple_tag(takes_context=True)
def shows_dropout_reasons(context) -> bool:
    """`{% shows_dropout_reasons as show_reasons %}`: may the viewer see reasons per person?"""
    return selectors.shows_dropout_reasons(context["request"].scope)


@register.simple_tag(takes_context=True)
def dropout_reason(context, trainee) -> str:
    """`{% dropout_reason trainee %}`: the reason, or "" for roles that may not see reasons."""
    return selectors.visible_dropout_reason(trainee, context["request"].scope)


@register.simple_tag(takes_context=True)
def dropout_note(context, trainee) -> str:
    return selectors.visible_dropout_note(trainee, context["request"].scope)


@register.simple_tag(takes_context=True)
def audit_changes(context, entry) -> dict:
    """`{% audit_changes entry as changes %}`: the entry's old → new values as the viewer may
    see them. The history fragment renders changes only through this tag, so no page that
    includes it can show a protected value, whatever its view passed in."""
    request = context["request"]
    mask = getattr(request, "_audit_mask", None)
    if mask is None:
        mask = request._audit_mask = AuditMask(getattr(request, "scope", None))
    return mask.changes(entry.object_type, entry.changes)


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
    "import_undone": _("Import fortrudt"),
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
        # A masked line is keyed by its meaning, which may not be a field of `obj`'s model.
        return capfirst(meaning_label(name)) or name


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
