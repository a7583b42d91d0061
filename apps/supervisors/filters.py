"""The supervisor list's filters: department, workplace, qualification, active and search."""

from __future__ import annotations

import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from apps.core.exports import AuditedFilterSet
from apps.core.scoping import Scope
from apps.organisation.models import Department, Workplace
from apps.supervisors.models import QualificationLevel, Supervisor

ALL = _("Alle")
INVALID_CHOICE = {"invalid_choice": _("Vælg en af mulighederne på listen.")}


class SupervisorFilterSet(AuditedFilterSet):
    """Filters of the supervisor list, limited to the departments `scope` may see."""

    q = django_filters.CharFilter(label=_("Søg"), method="filter_search")
    department = django_filters.ModelChoiceFilter(
        label=_("Fagområde"),
        field_name="workplace__department",
        queryset=Department.objects.none(),
        empty_label=ALL,
    )
    workplace = django_filters.ModelChoiceFilter(
        label=_("Arbejdsplads"), queryset=Workplace.objects.none(), empty_label=ALL
    )
    qualification = django_filters.ModelChoiceFilter(
        label=_("Kvalifikation"),
        queryset=QualificationLevel.objects.all(),
        to_field_name="code",
        empty_label=ALL,
    )
    active = django_filters.ChoiceFilter(
        label=_("Aktiv"),
        choices=[("yes", _("Ja")), ("no", _("Nej"))],
        empty_label=ALL,
        method="filter_active",
    )

    class Meta:
        model = Supervisor
        fields: list[str] = []

    def __init__(self, data=None, queryset=None, *, scope: Scope, **kwargs):
        super().__init__(data, queryset, **kwargs)
        departments = Department.objects.visible_to(scope)
        fields = self.form.fields
        fields["department"].queryset = departments
        fields["workplace"].queryset = Workplace.objects.filter(department__in=departments)
        for name, field in fields.items():
            field.error_messages.update(INVALID_CHOICE)
            css = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
            field.widget.attrs.setdefault("class", f"{css} {css}-sm")
            if name == "q":
                field.widget.attrs.update({"type": "search", "placeholder": _("Navn eller id")})

    def filter_search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(hr_id__icontains=value) | Q(name__icontains=value))

    def filter_active(self, queryset, name, value):
        return queryset.filter(is_active=(value == "yes"))
