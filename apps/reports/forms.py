from django import forms
from django.utils.translation import gettext_lazy as _

from apps.reports.documents import DOCX, PDF


class ReportForm(forms.Form):
    aar = forms.IntegerField(
        label=_("År"),
        required=False,
        min_value=2000,
        max_value=2100,
        help_text=_("Tomt: det seneste afsluttede år med data."),
        error_messages={
            "invalid": _("Skriv året som et helt tal, fx 2025."),
            "min_value": _("Året skal være 2000 eller senere."),
            "max_value": _("Året skal være 2100 eller tidligere."),
        },
    )
    format = forms.ChoiceField(
        label=_("Format"),
        choices=[(PDF, _("PDF (til udskrift)")), (DOCX, _("Word (til redigering)"))],
        initial=PDF,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": _("Vælg PDF eller Word.")},
    )
