"""The trainee list's filters. The KPI dashboards link numbers to the list with exactly these
GET parameters: programme, department, status, start_year, end_year, recruitment,
dropout_reason, hired (yes/no) and q."""

from __future__ import annotations

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from apps.core.exports import AuditedFilterSet
from apps.core.scoping import Scope
from apps.organisation.models import Department
from apps.trainees.choices import Recruitment, TraineeStatus
from apps.trainees.models import Programme, Trainee
from apps.trainees.selectors import shows_dropout_reasons, visible_dropout_reasons

ALL = _("Alle")
YES_NO = [("yes", _("Ja")), ("no", _("Nej"))]
# One message for every unknown value, without echoing it: a hidden dropout reason's code
# must give the same response as a code that does not exist.
INVALID_CHOICE = {"invalid_choice": _("Vælg en af mulighederne på listen.")}


class TraineeFilterSet(AuditedFilterSet):
    """Filters and search of the trainee list, limited to what `scope` may see and pick."""

    q = django_filters.CharFilter(label=_("Søg"), method="filter_search")
    programme = django_filters.ChoiceFilter(
        label=_("Uddannelse"), field_name="programme__code", empty_label=ALL
    )
    department = django_filters.ModelChoiceFilter(
        label=_("Fagområde"), queryset=Department.objects.none(), empty_label=ALL
    )
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=TraineeStatus.choices, empty_label=ALL
    )
    # A select of the years present, yet any year from a dashboard link still filters.
    start_year = django_filters.NumberFilter(label=_("Startår"), widget=forms.Select)
    end_year = django_filters.NumberFilter(label=_("Slutår"), widget=forms.Select)
    recruitment = django_filters.ChoiceFilter(
        label=_("Rekruttering"), choices=Recruitment.choices, empty_label=ALL
    )
    dropout_reason = django_filters.ChoiceFilter(
        label=_("Frafaldsårsag"), field_name="dropout_reason__code", empty_label=ALL
    )
    hired = django_filters.ChoiceFilter(
        label=_("Ansat efter endt forløb"), choices=YES_NO, empty_label=ALL, method="filter_hired"
    )

    class Meta:
        model = Trainee
        fields: list[str] = []

    def __init__(self, data=None, queryset=None, *, scope: Scope, **kwargs):
        super().__init__(data, queryset, **kwargs)
        self.scope = scope
        fields = self.form.fields
        # A ChoiceFilter's field puts its empty_label ("Alle") first itself; the choices set
        # here are the real values only, or "Alle" is listed twice.
        fields["programme"].choices = list(Programme.objects.values_list("code", "name"))
        fields["department"].queryset = Department.objects.visible_to(scope)
        fields["dropout_reason"].choices = list(
            visible_dropout_reasons(scope).values_list("code", "name")
        )
        if not shows_dropout_reasons(scope):
            # Not offered to roles that may not see reasons per person; any code they send
            # (a hidden reason, a visible one, nonsense) gets the same "invalid" answer and no
            # rows, so the filter cannot tell who left for which reason.
            fields["dropout_reason"].offered = False
        years = sorted(
            set(self.queryset.order_by().values_list("start_year", flat=True).distinct()),
            reverse=True,
        )
        year_choices = [("", ALL), *((y, y) for y in years)]
        fields["start_year"].widget.choices = year_choices
        fields["end_year"].widget.choices = year_choices
        for name in ("programme", "department", "status", "recruitment", "dropout_reason", "hired"):
            fields[name].error_messages.update(INVALID_CHOICE)
        for name in ("start_year", "end_year"):
            fields[name].error_messages["invalid"] = _("Angiv et årstal.")
        for field in fields.values():
            css = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
            field.widget.attrs.setdefault("class", f"{css} {css}-sm")
        fields["q"].widget.attrs.update(
            {
                "class": "form-control form-control-sm",
                "type": "search",
                "placeholder": _("Navn eller elev-id"),
            }
        )

    def filter_search(self, queryset, name, value):
        return queryset.search(value)

    def filter_hired(self, queryset, name, value):
        if value == "yes":
            return queryset.filter(hired_after=True)
        # "No" is the complement of "yes" (not hired or not recorded), so yes + no = all.
        return queryset.exclude(hired_after=True)
