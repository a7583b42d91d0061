"""The survey form (public, no login) and the coordinators' filter and link forms."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from apps.survey.choices import SATISFACTION_SCALE, Welcome
from apps.survey.selectors import DIMENSIONS

COMMENT_MAX_LENGTH = 2000
YES, NO = "ja", "nej"
DATE_FORMATS = ["%Y-%m-%d", "%d.%m.%Y"]  # the date picker's value, or typed by hand


class SurveyForm(forms.Form):
    welcomed = forms.ChoiceField(
        label=_("Følte du dig godt modtaget på dit praktiksted?"),
        choices=Welcome.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Vælg et svar: følte du dig godt modtaget?"),
            "invalid_choice": _("Vælg et af de fire svar."),
        },
    )
    had_supervisor = forms.TypedChoiceField(
        label=_("Havde du en fast praktikvejleder?"),
        choices=[(YES, _("Ja")), (NO, _("Nej"))],
        coerce=lambda value: value == YES,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Vælg Ja eller Nej."),
            "invalid_choice": _("Vælg Ja eller Nej."),
        },
    )
    guidance_satisfaction = forms.TypedChoiceField(
        label=_("Hvor tilfreds er du med vejledningen?"),
        help_text=_("1 er meget utilfreds, 5 er meget tilfreds."),
        choices=[(str(v), str(v)) for v in SATISFACTION_SCALE],
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Vælg et tal fra 1 til 5."),
            "invalid_choice": _("Vælg et tal fra 1 til 5."),
        },
    )
    comment = forms.CharField(
        label=_("Vil du fortælle os mere? (frivilligt)"),
        help_text=_(
            "Skriv ikke navne. Dit svar er anonymt og vises kun samlet, når mindst fem har svaret."
        ),
        required=False,
        max_length=COMMENT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={
            "max_length": _("Skriv højst %(limit_value)d tegn (du har skrevet %(show_value)d).")
        },
    )


class ResultsFilterForm(forms.Form):
    year = forms.TypedChoiceField(
        label=_("Praktikken sluttede i"),
        coerce=int,
        error_messages={"invalid_choice": _("Der er ingen svar fra %(value)s. Vælg et andet år.")},
    )
    by = forms.ChoiceField(
        label=_("Vis pr."),
        choices=[(key, spec[3]) for key, spec in DIMENSIONS.items()],
        error_messages={"invalid_choice": _("Vælg arbejdssted, fagområde eller uddannelse.")},
    )

    def __init__(self, data, *, years: list[int]):
        super().__init__(data)
        self.fields["year"].choices = [(str(y), str(y)) for y in years]


class LinkSheetForm(forms.Form):
    workplace = forms.ModelChoiceField(
        label=_("Arbejdssted"),
        queryset=None,
        required=False,
        empty_label=_("Alle arbejdssteder"),
        error_messages={"invalid_choice": _("Vælg et arbejdssted fra listen.")},
    )
    ended_from = forms.DateField(
        label=_("Praktikken sluttede fra"),
        required=False,
        input_formats=DATE_FORMATS,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": _("Skriv datoen som dd.mm.åååå, fx 31.01.2026.")},
    )
    ended_to = forms.DateField(
        label=_("Praktikken sluttede til"),
        required=False,
        input_formats=DATE_FORMATS,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": _("Skriv datoen som dd.mm.åååå, fx 31.01.2026.")},
    )

    def __init__(self, *args, workplaces, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["workplace"].queryset = workplaces

    def clean(self):
        data = super().clean()
        start, end = data.get("ended_from"), data.get("ended_to")
        if start and end and end < start:
            self.add_error("ended_to", _("Slutdatoen ligger før startdatoen."))
        return data
