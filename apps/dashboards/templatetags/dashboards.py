"""`{{ result|kpi_display }}`: a KPI result as Danish text with the small-number rule."""

from django import template

from apps.dashboards.presentation import display

register = template.Library()


@register.filter
def kpi_display(result) -> str:
    return display(result)
