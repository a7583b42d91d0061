"""The strategy lists' filters: the initiative list's (status, strategy, focus area,
department, origin, due) and the goal export's (strategy, focus area, department, status).
Both are audited filter sets, so an export logs its criteria and an invalid value gives no
rows rather than an unfiltered list."""

from __future__ import annotations

import datetime

import django_filters
from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.core.exports import AuditedFilterSet
from apps.organisation.models import Department
from apps.strategy.choices import GoalStatus, InitiativeStatus
from apps.strategy.models import FocusArea, Goal, Initiative, Strategy
from apps.strategy.selectors import FOLLOW_UP_WINDOW_DAYS


class FocusAreaChoiceField(forms.ModelChoiceField):
    """Names the strategy version too: copied versions share their focus areas' titles."""

    def label_from_instance(self, obj: FocusArea) -> str:
        return f"{obj.title} ({obj.strategy.version_label or obj.strategy.title})"


class FocusAreaFilter(django_filters.ModelChoiceFilter):
    field_class = FocusAreaChoiceField


class InitiativeFilter(AuditedFilterSet):
    """Filters an in-scope initiative queryset; choices come from the request's scope."""

    DUE_CHOICES = [
        ("overdue", _("Opfølgningsdato overskredet")),
        ("soon", _("Overskredet eller inden for 30 dage")),
    ]

    strategy = django_filters.ModelChoiceFilter(
        queryset=Strategy.objects.none(), label=_("Strategi"), empty_label=_("Alle strategier")
    )
    status = django_filters.ChoiceFilter(
        choices=InitiativeStatus.choices, label=_("Status"), empty_label=_("Alle")
    )
    focus_area = FocusAreaFilter(
        queryset=FocusArea.objects.none(), label=_("Indsatsområde"), empty_label=_("Alle")
    )
    department = django_filters.ModelChoiceFilter(
        queryset=Department.objects.none(), label=_("Fagområde"), empty_label=_("Alle")
    )
    origin = django_filters.ChoiceFilter(label=_("Ophav"), empty_label=_("Alle"))
    due = django_filters.ChoiceFilter(
        choices=DUE_CHOICES, label=_("Opfølgning"), empty_label=_("Alle"), method="filter_due"
    )

    class Meta:
        model = Initiative
        fields = ["strategy", "status", "focus_area", "department", "origin"]

    def __init__(self, *args, scope, **kwargs):
        super().__init__(*args, **kwargs)
        strategies = Strategy.objects.in_scope(scope)
        self.filters["strategy"].queryset = strategies
        self.filters["focus_area"].queryset = FocusArea.objects.in_scope(scope).select_related(
            "strategy"
        )
        self.filters["department"].queryset = Department.objects.of_municipality(scope)
        origins = (
            Initiative.objects.in_scope(scope)
            .exclude(origin="")
            .order_by("origin")
            .values_list("origin", flat=True)
            .distinct()
        )
        self.filters["origin"].extra["choices"] = [(o, o) for o in origins]

    def filter_due(self, queryset, name, value):
        today = timezone.localdate()
        if value == "overdue":
            return queryset.filter(follow_up_on__lt=today)
        if value == "soon":
            limit = today + datetime.timedelta(days=FOLLOW_UP_WINDOW_DAYS)
            return queryset.filter(Q(follow_up_on__lte=limit))
        return queryset


class GoalFilter(AuditedFilterSet):
    """Filters an in-scope goal queryset (the goal export from the strategy and follow-up
    pages); choices come from the request's scope."""

    strategy = django_filters.ModelChoiceFilter(
        field_name="focus_area__strategy",
        queryset=Strategy.objects.none(),
        label=_("Strategi"),
        empty_label=_("Alle strategier"),
    )
    focus_area = FocusAreaFilter(
        queryset=FocusArea.objects.none(), label=_("Indsatsområde"), empty_label=_("Alle")
    )
    department = django_filters.ModelChoiceFilter(
        queryset=Department.objects.none(), label=_("Fagområde"), empty_label=_("Alle")
    )
    status = django_filters.ChoiceFilter(
        choices=GoalStatus.choices, label=_("Status"), empty_label=_("Alle")
    )

    class Meta:
        model = Goal
        fields = ["strategy", "focus_area", "department", "status"]

    def __init__(self, *args, scope, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["strategy"].queryset = Strategy.objects.in_scope(scope)
        self.filters["focus_area"].queryset = FocusArea.objects.in_scope(scope).select_related(
            "strategy"
        )
        self.filters["department"].queryset = Department.objects.of_municipality(scope)
