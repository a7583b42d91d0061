"""Everything the annual status report says, gathered once into a plain structure that the
two renderers (`apps.reports.pdf`, `apps.reports.word`) print without computing anything.

The report is about one strategy version and one year, for one reader's scope: a leader's
(or `department=`) report holds that department's goals, initiatives, indicators and counts
plus the fælles mål; every figure passes the small-number rule for the reader's role, as
on the pages. Texts are formatted here (Danish numbers and dates), so the PDF and the Word
file say exactly the same.
"""

from __future__ import annotations

import datetime
from collections import Counter
from dataclasses import dataclass, field

from django.db.models import Prefetch, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core.formatting import format_date
from apps.core.scoping import Scope
from apps.dashboards.goal_overview import person_name
from apps.kpis.choices import TrackStatus
from apps.kpis.disclosure import Level as DisclosureLevel
from apps.kpis.disclosure import few_persons_text, hidden_note, level_for, rounding_note
from apps.kpis.facts import FactTable
from apps.kpis.models import Indicator, Measurement
from apps.kpis.selectors import measurement_result
from apps.kpis.targets import distance_text, judge, target_text, value_text
from apps.organisation.models import Department, Municipality
from apps.reports.charts import TrendPoint, trend_svg
from apps.reports.figures import (
    AsOf,
    CountTable,
    IntakeRow,
    appendix_tables,
    as_of_dates,
    intake_rows,
)
from apps.strategy.choices import GoalStatus, InitiativeStatus, StrategyStatus, SuggestedStatus
from apps.strategy.models import Goal, Initiative, StatusUpdate, Strategy


@dataclass
class KpiSection:
    name: str
    value: str  # the latest value up to the year, as printed ("38 %", "færre end 5 personer")
    period: int | None
    baseline: str
    target: str
    distance: str
    status: str  # a TrackStatus value
    status_label: str
    trend: list[TrendPoint]
    svg: str
    raw_value: float | None = None

    @property
    def trend_text(self) -> str:
        return ", ".join(f"{p.period}: {p.text}" for p in self.trend)


@dataclass
class GoalSection:
    text: str
    department: str
    owner: str
    status: str
    suggestion: str
    note: str
    note_date: str
    kpis: list[KpiSection] = field(default_factory=list)


@dataclass
class AreaSection:
    title: str
    description: str
    goals: list[GoalSection] = field(default_factory=list)


@dataclass
class InitiativeLine:
    reference: str
    title: str
    status: str
    implemented_year: str
    responsible: str
    next_step: str
    focus_area: str


@dataclass
class Report:
    municipality: str
    strategy_title: str
    strategy_version: str
    strategy_status: str
    draft: bool
    adopted_on: str
    year: int
    generated_on: str
    departments: list[str]  # empty: the whole municipality
    goals_by_status: list[tuple[str, int]]
    goals_by_suggestion: list[tuple[str, int]]
    kpis_by_status: list[tuple[str, int]]
    kpis_behind: list[str]  # "Frafald SSA: 38 % (2025); mål 37,2 % i 2026"
    initiatives_by_status: list[tuple[str, int]]
    areas: list[AreaSection]
    initiatives: list[InitiativeLine]
    dropouts_by_reason: CountTable
    dropouts_by_phase: CountTable
    hired_into: CountTable
    intake: list[IntakeRow]
    as_of: list[AsOf]
    small_numbers_note: str

    @property
    def title(self) -> str:
        return _("Status på %(strategy)s %(year)s") % {
            "strategy": self.strategy_title,
            "year": self.year,
        }

    @property
    def as_of_lines(self) -> list[tuple[str, str]]:
        return [
            (a.kind, format_date(timezone.localtime(a.applied)) if a.applied else _("ingen"))
            for a in self.as_of
        ]


def _department_ids(scope: Scope, department: Department | None) -> frozenset[int] | None:
    """The departments the report is limited to (None: the whole municipality)."""
    if department is not None:
        return frozenset({department.pk})
    return scope.department_ids


def _kpi_section(indicator: Indicator, scope: Scope, year: int) -> KpiSection:
    measurements = [m for m in indicator.measurements.all() if m.period <= year]
    trend, latest, latest_result = [], None, None
    for m in measurements:
        result = measurement_result(indicator, m, scope)
        shown = result.value is not None and not result.suppressed
        text = value_text(result.value, indicator.unit) if shown else few_persons_text().lower()
        trend.append(TrendPoint(m.period, result.value if shown else None, text))
        latest, latest_result = m, result
    target_level = judge(indicator, None, year).target_level
    baseline = ""
    if indicator.baseline_value is not None:
        baseline = value_text(indicator.baseline_value, indicator.unit)
        if indicator.baseline_period:
            baseline += f" ({indicator.baseline_period})"
    if latest is None:
        value, raw, period = _("ingen måling til og med %(year)s") % {"year": year}, None, None
    elif latest_result.suppressed or latest_result.value is None:
        value, raw, period = few_persons_text().lower(), None, latest.period
    else:
        raw, period = latest_result.value, latest.period
        value = value_text(raw, indicator.unit)
    judgement = judge(indicator, raw, period or year)
    svg = trend_svg(
        trend,
        target=None if target_level is None else float(target_level),
        label=_("Udvikling i %(name)s") % {"name": indicator.name},
    )
    return KpiSection(
        indicator.name,
        value,
        period,
        baseline or "–",
        target_text(indicator) or "–",
        distance_text(indicator, judgement),
        judgement.status,
        str(judgement.status_label),
        trend,
        svg,
        raw,
    )


def _latest_note(goal: Goal) -> tuple[str, str]:
    updates = list(goal.status_updates.all())
    if not updates:
        return "", ""
    return updates[0].note, format_date(timezone.localtime(updates[0].created_at))


def _tally(values, choices) -> list[tuple[str, int]]:
    counts = Counter(values)
    return [(str(label), counts[value]) for value, label in choices if counts[value]]


def report_data(
    *,
    scope: Scope,
    municipality: Municipality,
    strategy: Strategy,
    year: int,
    department: Department | None = None,
    today: datetime.date | None = None,
) -> Report:
    """The status report of `strategy` for `year`, as `scope` may read it (module doc)."""
    today = today or timezone.localdate()
    departments = _department_ids(scope, department)
    where = Q()
    if departments is not None:
        where = Q(department__isnull=True) | Q(department_id__in=departments)
    indicators = Indicator.objects.visible_to(scope).filter(municipality=municipality)
    if departments is not None:
        indicators = indicators.filter(
            Q(department__isnull=True) | Q(department_id__in=departments)
        )
    indicators = indicators.prefetch_related(
        Prefetch("measurements", queryset=Measurement.objects.order_by("period"))
    ).order_by("order", "name")
    goals = (
        Goal.objects.in_scope(scope)
        .filter(focus_area__strategy=strategy)
        .filter(where)
        .select_related("focus_area", "owner", "department")
        .prefetch_related(
            Prefetch("indicators", queryset=indicators),
            Prefetch("status_updates", queryset=StatusUpdate.objects.order_by("-created_at")),
        )
        .order_by("focus_area__order", "focus_area_id", "order", "id")
    )
    areas: dict[int, AreaSection] = {
        a.pk: AreaSection(a.title, a.description)
        for a in strategy.focus_areas.order_by("order", "id")
    }
    goal_list = list(goals)
    kpi_status: dict[int, str] = {}  # an indicator serving several goals counts once
    behind: dict[int, str] = {}
    for goal in goal_list:
        note, note_date = _latest_note(goal)
        kpis = []
        for indicator in goal.indicators.all():
            kpis.append(_kpi_section(indicator, scope, year))
            kpi = kpis[-1]
            kpi_status[indicator.pk] = kpi.status
            if kpi.status == TrackStatus.BEHIND:
                behind[indicator.pk] = _("%(name)s: %(value)s (%(period)s); mål %(target)s") % {
                    "name": kpi.name,
                    "value": kpi.value,
                    "period": kpi.period,
                    "target": kpi.target,
                }
        areas[goal.focus_area_id].goals.append(
            GoalSection(
                goal.text,
                goal.department.name if goal.department_id else _("Fælles mål"),
                person_name(goal.owner) or "–",
                goal.get_status_display(),
                str(SuggestedStatus(goal.suggested_status).label) if goal.suggested_status else "",
                note,
                note_date,
                kpis,
            )
        )
    initiative_qs = list(
        Initiative.objects.in_scope(scope)
        .filter(strategy=strategy)
        .filter(where)
        .select_related("owner", "focus_area")
        .order_by("order", "reference", "title", "id")
    )
    initiatives = [
        InitiativeLine(
            i.reference,
            i.title,
            i.get_status_display(),
            str(i.implemented_year) if i.implemented_year else "",
            person_name(i.owner) or i.responsible,
            i.next_step,
            i.focus_area.title if i.focus_area_id else "",
        )
        for i in initiative_qs
    ]
    table = FactTable.load(municipality_ids=[municipality.pk])
    fact_department = departments
    if departments is not None and len(departments) == 1:
        fact_department = next(iter(departments))
    reasons, phases, hired = appendix_tables(table, scope, year=year, department=fact_department)
    level = level_for(scope, municipality_id=municipality.pk, department=fact_department)
    note = rounding_note() if level == DisclosureLevel.ROUNDED else hidden_note()
    return Report(
        municipality=municipality.name,
        strategy_title=strategy.title,
        strategy_version=strategy.version_label,
        strategy_status=strategy.get_status_display(),
        draft=strategy.status != StrategyStatus.ADOPTED,
        adopted_on=format_date(strategy.adopted_on) if strategy.adopted_on else "",
        year=year,
        generated_on=format_date(today),
        departments=sorted(
            Department.objects.filter(pk__in=departments).values_list("name", flat=True)
        )
        if departments is not None
        else [],
        goals_by_status=_tally([g.status for g in goal_list], GoalStatus.choices),
        goals_by_suggestion=_tally(
            [g.suggested_status for g in goal_list if g.suggested_status],
            SuggestedStatus.choices,
        ),
        kpis_by_status=_tally(kpi_status.values(), TrackStatus.choices),
        kpis_behind=list(behind.values()),
        initiatives_by_status=_tally([i.status for i in initiative_qs], InitiativeStatus.choices),
        areas=list(areas.values()),
        initiatives=initiatives,
        dropouts_by_reason=reasons,
        dropouts_by_phase=phases,
        hired_into=hired,
        intake=intake_rows(table, scope, year=year, department=fact_department),
        as_of=as_of_dates(municipality.pk),
        small_numbers_note=note,
    )
