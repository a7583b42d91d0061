"""The indicators with their measurements as a spreadsheet (xlsx and csv): one row per
indicator and measured year (an indicator without measurements gets one row of its own).

Rules: the indicators are those the reader may read (`Indicator.objects.visible_to`), filtered
like the indicator list; each value, numerator and denominator passes the small-number rule
for the reader's role (`apps.kpis.selectors.measurement_result`), so a leader's export of a
municipality-wide indicator carries rounded counts or "< 5", never an exact count of 1–4.
Written through the shared, audited machinery of `apps.core.exports` (formula cells
neutralised, each export logged with its criteria).
"""

from __future__ import annotations

from collections.abc import Iterator

import django_filters
from django.db.models import Prefetch, Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from apps.core.exports import AuditedFilterSet, ListExport
from apps.core.scoping import Scope
from apps.kpis.disclosure import SUPPRESSED_LABEL
from apps.kpis.models import Indicator, Measurement
from apps.kpis.selectors import measurement_result
from apps.organisation.models import Department
from apps.strategy.models import FocusArea, Goal, Strategy
from apps.trainees.models import Programme


class IndicatorFilterSet(AuditedFilterSet):
    """The indicator list's filters: strategy (through the linked goals or focus area),
    focus area, department and programme; choices come from the request's scope."""

    strategy = django_filters.ModelChoiceFilter(
        queryset=Strategy.objects.none(),
        label=gettext_lazy("Strategi"),
        empty_label=gettext_lazy("Alle strategier"),
        method="filter_strategy",
    )
    focus_area = django_filters.ModelChoiceFilter(
        queryset=FocusArea.objects.none(),
        label=gettext_lazy("Indsatsområde"),
        empty_label=gettext_lazy("Alle"),
        method="filter_focus_area",
    )
    department = django_filters.ModelChoiceFilter(
        queryset=Department.objects.none(),
        label=gettext_lazy("Fagområde"),
        empty_label=gettext_lazy("Alle"),
    )
    programme = django_filters.ModelChoiceFilter(
        queryset=Programme.objects.all(),
        to_field_name="code",
        label=gettext_lazy("Uddannelse"),
        empty_label=gettext_lazy("Alle"),
    )

    class Meta:
        model = Indicator
        fields = ["strategy", "focus_area", "department", "programme"]

    def __init__(self, *args, scope, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["strategy"].queryset = Strategy.objects.in_scope(scope)
        self.filters["focus_area"].queryset = FocusArea.objects.in_scope(scope)
        self.filters["department"].queryset = Department.objects.visible_to(scope)

    def filter_strategy(self, queryset, name, value):
        ids = Indicator.objects.filter(goals__focus_area__strategy=value).values("pk")
        return queryset.filter(Q(pk__in=ids) | Q(focus_area__strategy=value))

    def filter_focus_area(self, queryset, name, value):
        ids = Indicator.objects.filter(goals__focus_area=value).values("pk")
        return queryset.filter(Q(pk__in=ids) | Q(focus_area=value))


def indicator_queryset(scope: Scope):
    return (
        Indicator.objects.visible_to(scope)
        .select_related("department", "programme", "focus_area")
        .prefetch_related(
            Prefetch("goals", queryset=Goal.objects.order_by("order", "id")),
            Prefetch("measurements", queryset=Measurement.objects.order_by("period")),
        )
        .order_by("order", "name", "id")
    )


def indicator_filterset(data, scope: Scope) -> IndicatorFilterSet:
    return IndicatorFilterSet(data, queryset=indicator_queryset(scope), scope=scope)


def indicator_headers(scope: Scope) -> list[str]:
    return [
        _("Nøgletal"),
        _("Beregning"),
        _("Fagområde"),
        _("Uddannelse"),
        _("Årgang"),
        _("Indsatsområde"),
        _("Målsætninger"),
        _("Enhed"),
        _("Retning"),
        _("Baseline"),
        _("Baseline år"),
        _("Mål"),
        _("Mål år"),
        _("År"),
        _("Værdi"),
        _("Tæller"),
        _("Nævner"),
        _("Kilde"),
        _("Note"),
    ]


def _number(value):
    if value is None:
        return None
    number = float(value)
    return int(number) if number.is_integer() else round(number, 2)


def measurement_cells(indicator: Indicator, m: Measurement, scope: Scope) -> list:
    """Year, value, numerator and denominator as the reader may see them, source, note."""
    result = measurement_result(indicator, m, scope)
    if result.suppressed:
        value = numerator = denominator = SUPPRESSED_LABEL
    else:
        value = _number(result.value)
        numerator, denominator = _number(result.numerator), _number(result.denominator)
    note = m.note
    if result.rounded and not result.suppressed:
        note = "; ".join(filter(None, [_("Antal afrundet til nærmeste 5"), note]))
    return [m.period, value, numerator, denominator, m.get_source_display(), note]


def indicator_rows(indicators, scope: Scope) -> Iterator[list]:
    for i in indicators:
        head = [
            i.name,
            i.get_metric_display() if i.metric else _("Indtastes manuelt"),
            i.department.name if i.department else _("Hele kommunen"),
            i.programme.code if i.programme else "",
            i.cohort_year,
            i.focus_area.title if i.focus_area else "",
            "\n".join(g.text for g in i.goals.all()),
            i.get_unit_display(),
            i.get_direction_display(),
            _number(i.baseline_value),
            i.baseline_period,
            _number(i.target_value),
            i.target_period,
        ]
        measurements = list(i.measurements.all())
        if not measurements:
            yield [*head, None, None, None, None, "", ""]
        for m in measurements:
            yield [*head, *measurement_cells(i, m, scope)]


INDICATOR_EXPORT = ListExport(
    label="kpis.indicator",
    name=lambda: _("noegletal"),
    permission="can_read_strategy",
    headers=indicator_headers,
    filterset=indicator_filterset,
    rows=indicator_rows,
)
