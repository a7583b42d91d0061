"""Template filters for Danish numbers, dates and date-times (`{{ value|da_percent }}`,
`{{ value|da_date }}`)."""

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
def da_amount(value, max_decimals=1):
    """`{{ year.sick_days|da_amount }}` → `4.822` (whole) or `4.822,5`."""
    return formatting.format_amount(value, int(max_decimals))


@register.filter
def da_measure(value, unit):
    """`{{ indicator.baseline_value|da_measure:indicator.unit }}` → `16 %`."""
    return formatting.format_measure(value, unit)


@register.filter
def da_dkk(value):
    return formatting.format_dkk(value)


@register.filter
def da_date(value):
    """`{{ goal.follow_up_on|da_date }}` → `15.12.2026`."""
    return formatting.format_date(value)


@register.filter
def da_datetime(value):
    """`{{ entry.occurred_at|da_datetime }}` → `15.12.2026 kl. 15:41` (local time)."""
    return formatting.format_datetime(value)
