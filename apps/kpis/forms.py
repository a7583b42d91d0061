"""Forms for coordinators: an indicator's target, a correction and a manual measurement."""

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from apps.kpis.choices import Metric
from apps.kpis.models import Indicator
from apps.kpis.registry import REGISTRY


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


class IndicatorForm(forms.ModelForm):
    """Create or edit an indicator: computed from a metric (with department, programme and
    cohort filters; unit and direction follow the metric) or manual (unit and direction
    chosen); the baseline typed in from a document or measured by the portal for a year;
    the target as a level, points or a relative change."""

    DOCUMENT, MEASURED = "document", "measured"
    baseline_source = forms.ChoiceField(
        label=_("Baseline"),
        choices=[
            (DOCUMENT, _("Skriv værdien ind (fx fra strategien)")),
            (MEASURED, _("Brug portalens målte værdi for baseline-året")),
        ],
        initial=DOCUMENT,
        widget=forms.RadioSelect,
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Indicator
        fields = [
            "name",
            "metric",
            "department",
            "programme",
            "cohort_year",
            "unit",
            "direction",
            "baseline_value",
            "baseline_period",
            "target_kind",
            "target_value",
            "target_period",
            "note",
        ]
        widgets = {"note": forms.Textarea(attrs={"rows": 3})}
        localized_fields = ["baseline_value", "target_value"]
        labels = {"baseline_value": _("Baseline-værdi"), "baseline_period": _("Baseline-år")}
        help_texts = {
            "unit": _("Kun for manuelle nøgletal; et beregnet følger nøgletallets definition."),
            "direction": _("Kun for manuelle nøgletal."),
        }

    def __init__(self, *args, scope, **kwargs):
        super().__init__(*args, **kwargs)
        from apps.kpis.choices import BREAKDOWN_METRICS
        from apps.organisation.models import Department

        self.instance.municipality_id = scope.municipality_id
        self.fields["version"].initial = self.instance.version
        self.fields["metric"].choices = [
            ("", _("Manuelt nøgletal (indtastes)")),
            *((v, label) for v, label in Metric.choices if v not in BREAKDOWN_METRICS),
        ]
        self.fields["department"].queryset = Department.objects.of_municipality(scope)
        self.fields["department"].empty_label = _("Hele kommunen")
        self.fields["programme"].empty_label = _("Alle uddannelser")
        for name in ("baseline_period", "target_period"):
            self.fields[name].widget.attrs.update(min=2000, max=2100)

    def clean(self):
        cleaned = super().clean()
        measured = cleaned.get("baseline_source") == self.MEASURED
        if measured and not cleaned.get("metric"):
            self.add_error(
                "baseline_source",
                _(
                    "Kun et beregnet nøgletal har en målt værdi. Vælg nøgletallet, eller skriv "
                    "baseline ind."
                ),
            )
        if measured and not cleaned.get("baseline_period"):
            self.add_error("baseline_period", _("Skriv det år, portalen skal måle baseline for."))
        for name in ("baseline_period", "target_period"):
            year = cleaned.get(name)
            if year is not None and not 2000 <= year <= 2100:
                self.add_error(name, _("Året skal være mellem 2000 og 2100."))
        return cleaned

    def _post_clean(self):
        # What the model validates is what the service will store: a computed indicator's
        # unit and direction follow its metric, and a measured baseline (computed by the
        # service) stands in as 0 here so a target relative to it passes the model's rules.
        definition = REGISTRY.get(self.cleaned_data.get("metric") or "")
        if definition is not None and not definition.is_breakdown:
            self.cleaned_data["unit"] = definition.unit
            self.cleaned_data["direction"] = definition.direction
        if self.cleaned_data.get("baseline_source") == self.MEASURED:
            self.cleaned_data["baseline_value"] = Decimal(0)
        super()._post_clean()

    def service_data(self) -> dict:
        data = {name: self.cleaned_data.get(name) for name in self.Meta.fields}
        for name in ("metric", "note"):
            data[name] = data[name] or ""
        if self.cleaned_data.get("baseline_source") == self.MEASURED:
            data.pop("baseline_value")
            data.pop("baseline_period")
        return data

    def baseline_from_period(self) -> int | None:
        if self.cleaned_data.get("baseline_source") == self.MEASURED:
            return self.cleaned_data.get("baseline_period")
        return None


class IndicatorDeleteForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    including_manual = forms.BooleanField(
        label=_("Slet også målingerne, der er indtastet eller rettet i hånden"), required=False
    )
