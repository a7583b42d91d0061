"""HR's correction form for one trainee; the rules are the model's (`apps.trainees.rules`), which
ModelForm validation applies and shows next to their fields."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext as _

from apps.core.cpr import contains_cpr
from apps.core.forms import bootstrap_widgets
from apps.core.scoping import Scope
from apps.organisation.models import Department, Workplace
from apps.trainees.models import IntakeQuota, Trainee
from apps.trainees.services import EDITABLE_FIELDS


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class TraineeUpdateForm(forms.ModelForm):
    """The fields HR may correct, plus the version the editor loaded (for stale-edit checks)."""

    version = forms.IntegerField(widget=forms.HiddenInput)

    class Meta:
        model = Trainee
        fields = list(EDITABLE_FIELDS)
        widgets = {
            "start_date": DateInput(),
            "expected_end_date": DateInput(),
            "end_date": DateInput(),
        }

    def __init__(self, *args, scope: Scope, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["version"].initial = self.instance.version
        departments = Department.objects.visible_to(scope)
        self.fields["department"].queryset = departments
        self.fields["hired_into_department"].queryset = departments
        self.fields["hired_into_workplace"].queryset = Workplace.objects.filter(
            department__in=departments
        ).select_related("department")
        bootstrap_widgets(self)

    def clean(self):
        cleaned = super().clean()
        for name, value in list(cleaned.items()):
            if isinstance(value, str) and contains_cpr(value):
                self.add_error(
                    name,
                    _("Feltet indeholder et CPR-nummer, som ikke må gemmes i portalen. Fjern det."),
                )
        return cleaned

    def service_data(self) -> dict:
        """The cleaned values of the editable fields, for the service."""
        return {name: self.cleaned_data[name] for name in EDITABLE_FIELDS}


class QuotaForm(forms.ModelForm):
    """A quota: programme, year, for the whole municipality or one department, and a minimum
    or a range (minimum–maximum). Model validation shows its Danish messages by the fields."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = IntakeQuota
        fields = ["programme", "year", "department", "minimum", "maximum", "note"]
        error_messages = {
            "programme": {"required": _("Vælg uddannelsen.")},
            "year": {"required": _("Skriv året, fx 2025.")},
            "minimum": {"required": _("Skriv minimum, fx 30.")},
        }

    def __init__(self, *args, scope: Scope, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.municipality_id = scope.municipality_id
        self.fields["version"].initial = self.instance.version
        self.fields["department"].queryset = Department.objects.visible_to(scope)
        self.fields["department"].empty_label = _("Hele kommunen")
        self.fields["year"].min_value = 2000
        self.fields["year"].widget.attrs.update(min=2000, max=2100)
        bootstrap_widgets(self)

    def clean_year(self):
        year = self.cleaned_data["year"]
        if year is not None and not 2000 <= year <= 2100:
            raise forms.ValidationError(_("Året skal være mellem 2000 og 2100."))
        return year

    def clean(self):
        cleaned = super().clean()
        if contains_cpr(cleaned.get("note") or ""):
            self.add_error(
                "note",
                _("Feltet indeholder et CPR-nummer, som ikke må gemmes i portalen. Fjern det."),
            )
        return cleaned

    def service_data(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}
