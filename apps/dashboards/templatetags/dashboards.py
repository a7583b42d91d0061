"""`{{ result|kpi_display }}`: a KPI result as Danish text with the small-number rule;
`{{ result|kpi_note }}`: what an intake figure is measured against, when that needs saying."""

from django import template
from django.utils.translation import gettext as _

from apps.core.formatting import format_measure
from apps.dashboards.presentation import display
from apps.kpis.choices import Unit

register = template.Library()


@register.filter
def kpi_display(result) -> str:
    return display(result)


@register.filter
def kpi_note(result) -> str:
    """A department without its own quota: say so, with its share of the municipality's
    intake instead of a ratio against the municipality's quota."""
    share = getattr(result, "share", None)
    if share is not None:
        return _("%(note)s; fagområdets andel af kommunens optag: %(share)s") % {
            "note": result.note,
            "share": format_measure(share, Unit.PERCENT),
        }
    return getattr(result, "note", "")
