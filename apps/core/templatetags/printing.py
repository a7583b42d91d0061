"""What a printed page needs that the screen shows otherwise: `{% filters_in_force form %}`
says in words which filters a list was printed with (static/css/print.css shows it)."""

from django import template
from django.utils.html import format_html
from django.utils.translation import gettext as _

register = template.Library()


def _shown(field, value: str) -> str:
    """The label a choice field shows for `value`, else the value as typed."""
    for key, label in getattr(field.field, "choices", ()):
        if str(key) == value:
            return str(label)
    return value


@register.simple_tag
def filters_in_force(form) -> str:
    """`<p class="print-only">Filtre: Status: Implementeret · Fagområde: Skole</p>`, or
    "Filtre: ingen (alle)" when the list is not filtered."""
    parts = []
    for field in form:
        value = form.data.get(field.name, "") if form.is_bound else ""
        if value not in ("", None):
            parts.append(f"{field.label}: {_shown(field, str(value))}")
    text = " · ".join(parts) or _("ingen (alle)")
    return format_html('<p class="print-only filters-in-force">{} {}</p>', _("Filtre:"), text)
