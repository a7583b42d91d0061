"""`{% load exports %}`: whether a list of `count` rows is exported in the background."""

from django import template
from django.conf import settings

register = template.Library()


@register.filter
def exported_in_background(count) -> bool:
    """True when a list of `count` rows is above EXPORT_BACKGROUND_ROWS."""
    try:
        return int(count) > settings.EXPORT_BACKGROUND_ROWS
    except (TypeError, ValueError):
        return False


@register.simple_tag
def export_link_hours() -> int:
    """EXPORT_LINK_HOURS: how long a background export's download link works."""
    return settings.EXPORT_LINK_HOURS
