"""The planning page's period form (Danish dates, "15.02.2027")."""

from django import forms
from django.utils.translation import gettext_lazy as _

from apps.core.formatting import DATE_PATTERN

DATE_FORMATS = [DATE_PATTERN, "%Y-%m-%d"]
ATTRS = {"inputmode": "numeric", "class": "form-control"}


class PeriodForm(forms.Form):
    """Fra/Til of the planning period; Til may not lie before Fra."""

    fra = forms.DateField(
        label=_("Fra"),
        input_formats=DATE_FORMATS,
        widget=forms.DateInput(format=DATE_PATTERN, attrs=ATTRS),
        error_messages={
            "required": _("Skriv periodens første dag."),
            "invalid": _("Skriv datoen som DD.MM.ÅÅÅÅ, fx 01.02.2027."),
        },
        help_text=_("DD.MM.ÅÅÅÅ"),
    )
    til = forms.DateField(
        label=_("Til"),
        input_formats=DATE_FORMATS,
        widget=forms.DateInput(format=DATE_PATTERN, attrs=ATTRS),
        error_messages={
            "required": _("Skriv periodens sidste dag."),
            "invalid": _("Skriv datoen som DD.MM.ÅÅÅÅ, fx 30.06.2027."),
        },
        help_text=_("DD.MM.ÅÅÅÅ"),
    )

    def clean(self):
        data = super().clean()
        if data.get("fra") and data.get("til") and data["til"] < data["fra"]:
            self.add_error("til", _("Til-datoen må ikke ligge før fra-datoen."))
        return data


def optional_id(value) -> int | None:
    """A select's value as an id; empty or malformed is None."""
    try:
        return int(value) if value else None
    except (TypeError, ValueError):
        return None
