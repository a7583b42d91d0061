"""Forms of the capacity pages: a capacity row, the list's filter, the municipality's
default supervisor maximum and one supervisor's own maximum. Dates are Danish
("dd.mm.yyyy"); model validation shows its Danish messages by the fields."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from apps.core.forms import bootstrap_widgets
from apps.core.scoping import Scope
from apps.organisation.models import Workplace
from apps.placements.models import WorkplaceCapacity
from apps.trainees.models import Programme

DATE_HELP = _("Skriv datoen som dd.mm.åååå, fx 01.02.2027.")


class DanishDateInput(forms.DateInput):
    def __init__(self, **kwargs):
        super().__init__(format="%d.%m.%Y", attrs={"placeholder": "dd.mm.åååå"}, **kwargs)


def _date_field(label) -> forms.DateField:
    return forms.DateField(
        label=label,
        widget=DanishDateInput(),
        help_text=DATE_HELP,
        error_messages={
            "required": _("Skriv datoen."),
            "invalid": _("Datoen skal skrives som dd.mm.åååå, fx 01.02.2027."),
        },
    )


def workplaces_of(scope: Scope):
    return Workplace.objects.in_scope(scope).select_related("department").order_by("name")


class CapacityForm(forms.ModelForm):
    """A capacity row: workplace (the municipality's), programme, Fra, Til and places."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    start_date = _date_field(_("Fra"))
    end_date = _date_field(_("Til"))

    class Meta:
        model = WorkplaceCapacity
        fields = ["workplace", "programme", "start_date", "end_date", "places"]
        error_messages = {
            "workplace": {"required": _("Vælg arbejdspladsen.")},
            "programme": {"required": _("Vælg uddannelsen.")},
            "places": {
                "required": _("Skriv antal pladser, fx 3."),
                "min_value": _("Antal pladser kan ikke være negativt."),
            },
        }

    def __init__(self, *args, scope: Scope, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.municipality_id = scope.municipality_id
        self.fields["version"].initial = self.instance.version
        self.fields["workplace"].queryset = workplaces_of(scope)
        self.fields["places"].widget.attrs.update(min=0)
        bootstrap_widgets(self)

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start_date"), cleaned.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", _("Til-datoen må ikke ligge før fra-datoen."))
        return cleaned

    def service_data(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class CapacityFilterForm(forms.Form):
    """The list's filter: rows overlapping a period, one workplace, one programme."""

    start = forms.DateField(label=_("Fra"), required=False, widget=DanishDateInput())
    end = forms.DateField(label=_("Til"), required=False, widget=DanishDateInput())
    workplace = forms.ModelChoiceField(
        label=_("Arbejdsplads"), queryset=Workplace.objects.none(), required=False
    )
    programme = forms.ModelChoiceField(
        label=_("Uddannelse"), queryset=Programme.objects.all(), required=False
    )

    def __init__(self, *args, scope: Scope, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["workplace"].queryset = workplaces_of(scope)
        self.fields["workplace"].empty_label = _("Alle")
        self.fields["programme"].empty_label = _("Alle")
        for name in ("start", "end"):
            self.fields[name].error_messages["invalid"] = _(
                "Datoen skal skrives som dd.mm.åååå, fx 01.02.2027."
            )
        bootstrap_widgets(self)


class PlanningSettingsForm(forms.Form):
    """The municipality's default: how many trainees one supervisor may have at once."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    supervisor_max_trainees = forms.IntegerField(
        label=_("Elever pr. vejleder ad gangen"),
        min_value=1,
        max_value=50,
        help_text=_("Gælder for vejledere uden eget maksimum."),
        error_messages={
            "required": _("Skriv et antal, fx 2."),
            "min_value": _("En vejleder skal kunne have mindst 1 elev."),
            "max_value": _("Skriv højst 50."),
            "invalid": _("Skriv et helt tal, fx 2."),
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        bootstrap_widgets(self)


class SupervisorMaxForm(forms.Form):
    """One supervisor's own maximum; empty means the municipality's default."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    max_trainees = forms.IntegerField(
        label=_("Højst elever ad gangen"),
        min_value=1,
        max_value=50,
        required=False,
        help_text=_("Lad feltet stå tomt for at bruge kommunens standard."),
        error_messages={
            "min_value": _("En vejleder skal kunne have mindst 1 elev."),
            "max_value": _("Skriv højst 50."),
            "invalid": _("Skriv et helt tal, fx 2."),
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        bootstrap_widgets(self)
