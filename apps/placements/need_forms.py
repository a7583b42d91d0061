"""Forms of the trainee's "Praktikbehov og ønsker" page: a need added by hand (period and
note) and a workplace wish (workplace of the municipality and rank). The rules are the
services' (`need_services`); their errors are shown next to the fields."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from apps.core.forms import bootstrap_widgets
from apps.core.scoping import Scope
from apps.organisation.models import Workplace
from apps.placements.models import WISH_RANKS


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class StyledForm(forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        bootstrap_widgets(self)


class ManualNeedForm(StyledForm):
    start_date = forms.DateField(
        label=_("Fra"),
        widget=DateInput(),
        error_messages={"required": _("Skriv fra-datoen."), "invalid": _("Ugyldig dato.")},
    )
    end_date = forms.DateField(
        label=_("Til"),
        widget=DateInput(),
        error_messages={"required": _("Skriv til-datoen."), "invalid": _("Ugyldig dato.")},
    )
    note = forms.CharField(
        label=_("Note"),
        max_length=255,
        help_text=_("Hvorfor eleven skal have en praktikplads i perioden."),
        error_messages={"required": _("Skriv en note om, hvorfor eleven har behov.")},
    )


class WishForm(StyledForm):
    workplace = forms.ModelChoiceField(
        label=_("Arbejdsplads"),
        queryset=Workplace.objects.none(),
        error_messages={
            "required": _("Vælg en arbejdsplads."),
            "invalid_choice": _("Vælg en arbejdsplads i kommunen."),
        },
    )
    rank = forms.TypedChoiceField(
        label=_("Prioritet"),
        coerce=int,
        choices=[(n, str(n)) for n in WISH_RANKS],
        error_messages={
            "required": _("Vælg en prioritet."),
            "invalid_choice": _("Prioriteten skal være 1, 2 eller 3."),
        },
    )

    def __init__(self, *args, scope: Scope, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["workplace"].queryset = (
            Workplace.objects.filter(department__municipality_id=scope.municipality_id)
            .select_related("department")
            .order_by("department__name", "name")
        )
