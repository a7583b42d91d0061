"""Template filters for Danish number formats (`{{ value|da_percent }}`)."""

from django import template

from apps.core import formatting

register = template.Library()


@register.filter
def da_number(value, decimals=0):
    return formatting.format_number(value, int(decimals))


@register.filter
def da_percent(value, decimals=1):
    return formatting.format_percent(value, int(decimals))


@register.filter
def da_dkk(value):
    return formatting.format_dkk(value)
