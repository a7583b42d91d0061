"""Forms for coordinators: an indicator's target, a correction and a manual measurement."""

from django import forms
from django.utils.translation import gettext_lazy as _

from apps.kpis.models import Indicator


class IndicatorTargetForm(forms.ModelForm):
    """Baseline, target and cohort of an indicator (what it measures otherwise stays as the
    seed/admin set it). The cohort is checked by `Indicator.clean`: only for cohort metrics."""

    version = forms.IntegerField(widget=forms.HiddenInput)

    class Meta:
        model = Indicator
        fields = [
            "name",
            "unit",
            "direction",
            "baseline_value",
            "baseline_period",
            "target_kind",
            "target_value",
            "target_period",
            "cohort_year",
            "note",
        ]
        widgets = {"note": forms.Textarea(attrs={"rows": 3})}
        localized_fields = ["baseline_value", "target_value"]


class MeasurementCorrectForm(forms.Form):
    value = forms.DecimalField(label=_("Ny værdi"), max_digits=12, decimal_places=2, localize=True)
    note = forms.CharField(
        label=_("Begrundelse"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000
    )
    version = forms.IntegerField(widget=forms.HiddenInput)


class MeasurementCreateForm(forms.Form):
    period = forms.IntegerField(label=_("År"), min_value=2000, max_value=2100)
    value = forms.DecimalField(label=_("Værdi"), max_digits=12, decimal_places=2, localize=True)
    note = forms.CharField(
        label=_("Kilde og note"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
