"""Forms of the warning pages: the list's filters, a "sat i gang" note, the threshold."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from apps.alerts.models import NOTE_MAX_LENGTH, AlertSettings, FlagStatus
from apps.core.scoping import Scope
from apps.organisation.models import Department
from apps.trainees.models import Programme

ALL = _("Alle")
INVALID_CHOICE = {"invalid_choice": _("Vælg en af mulighederne på listen.")}


class FlagFilterForm(forms.Form):
    """Department, programme and status of the list; unknown values are a clear error."""

    department = forms.ModelChoiceField(
        label=_("Fagområde"), queryset=Department.objects.none(), required=False, empty_label=ALL
    )
    programme = forms.ChoiceField(label=_("Uddannelse"), required=False)
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", ALL), (FlagStatus.OPEN, FlagStatus.OPEN.label)]
        + [(FlagStatus.IN_MOTION, FlagStatus.IN_MOTION.label)],
    )

    def __init__(self, data=None, *, scope: Scope):
        super().__init__(data)
        self.fields["department"].queryset = Department.objects.visible_to(scope)
        self.fields["programme"].choices = [
            ("", ALL),
            *Programme.objects.values_list("code", "name"),
        ]
        for field in self.fields.values():
            field.error_messages.update(INVALID_CHOICE)
            field.widget.attrs["class"] = "form-select form-select-sm"

    def apply(self, queryset):
        if not self.is_bound or not self.is_valid():
            return queryset
        data = self.cleaned_data
        if data["department"] is not None:
            queryset = queryset.filter(trainee__department=data["department"])
        if data["programme"]:
            queryset = queryset.filter(trainee__programme__code=data["programme"])
        if data["status"]:
            queryset = queryset.filter(status=data["status"])
        return queryset


class SetInMotionForm(forms.Form):
    note = forms.CharField(
        label=_("Hvad er sat i gang?"),
        max_length=NOTE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3, "class": "form-control"}),
        help_text=_("Fx en samtale med eleven, eller at den personlige vejleder er orienteret."),
        error_messages={"required": _("Skriv kort, hvad der er sat i gang.")},
    )
    version = forms.IntegerField(widget=forms.HiddenInput)


class AlertSettingsForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput)

    class Meta:
        model = AlertSettings
        fields = ["absence_threshold"]
        localized_fields = ["absence_threshold"]  # "12,5" as Danes write it
        widgets = {
            "absence_threshold": forms.TextInput(
                attrs={"class": "form-control", "inputmode": "decimal"}
            )
        }
        error_messages = {
            "absence_threshold": {
                "required": _("Angiv en tærskel i procent, fx 10."),
                "invalid": _("Angiv tærsklen som et tal i procent, fx 10 eller 12,5."),
            }
        }
