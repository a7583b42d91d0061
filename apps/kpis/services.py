"""Writes for KPIs: recomputing facts and measurements, correcting and entering measurements."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core.audit import audit_record
from apps.core.roles import Role
from apps.core.scoping import Scope
from apps.kpis.choices import MeasurementSource
from apps.kpis.facts import FactTable
from apps.kpis.facts_build import facts_build
from apps.kpis.goal_status import suggest_goal_statuses
from apps.kpis.models import Indicator, Measurement, MetricFact
from apps.kpis.registry import REGISTRY, Period

# Periods before this many years ago are closed: recomputation fills them once and then
# leaves them alone, so a trend survives later corrections of the person data.
OPEN_PERIODS = 2


@dataclass(frozen=True)
class RecomputeResult:
    facts: int
    created: int
    updated: int


def system_scope(municipality_id: int) -> Scope:
    """The unrestricted scope computations run in (stored values are never suppressed;
    the small-number rule applies when a viewer reads them)."""
    return Scope(user_id=None, role=Role.ADMIN, municipality_id=municipality_id)


def indicator_value(indicator: Indicator, table: FactTable, period: int):
    """The computed `KpiResult` of `indicator` for `period` from `table`, by the metric's
    definition in `apps.kpis.registry`.

    Cohort outcomes are measured per report year on the latest finished cohorts ("de senest
    færdige årgange"), as the seeds do, unless the indicator names one cohort
    (`cohort_year`): then that one cohort's figure whatever the period.
    """
    scope = system_scope(indicator.municipality_id)
    programme = indicator.programme.code if indicator.programme_id else None
    pools = REGISTRY[indicator.metric].pools_cohorts
    if pools and indicator.cohort_year is not None:
        return table.kpi(
            indicator.metric,
            scope=scope,
            year=indicator.cohort_year,
            programme=programme,
            department=indicator.department_id,
        )
    cohorts = None
    if pools:
        cohorts = table.finished_cohorts(
            period, programme=programme, department=indicator.department_id
        )
        if not cohorts:
            return None
    return table.kpi(
        indicator.metric,
        scope=scope,
        year=period,
        programme=programme,
        department=indicator.department_id,
        cohorts=cohorts,
    )


def _periods(indicator: Indicator, table: FactTable, as_of: datetime.date) -> list[int]:
    definition = REGISTRY[indicator.metric]
    if definition.period == Period.STATE:
        return [definition.period_for(table, None, as_of)]
    first = indicator.cohort_year if definition.pools_cohorts else None
    # A named cohort has no measurement for the years before it started.
    return [
        y
        for y in table.years(definition.years_from)
        if y <= as_of.year and (first is None or y >= first)
    ]


def _decimal(value) -> Decimal | None:
    return None if value is None else Decimal(str(round(value, 2)))


def _measurements_refresh(
    indicators: list[Indicator],
    table: FactTable,
    existing: dict[tuple[int, int], Measurement],
    *,
    as_of: datetime.date,
    all_periods: bool,
) -> tuple[list[Measurement], list[Measurement]]:
    """The computed measurements to create and to update (unsaved), by the rules of
    `measurements_recompute`; no queries."""
    to_create, to_update = [], []
    now = timezone.now()
    for indicator in indicators:
        for period in _periods(indicator, table, as_of):
            result = indicator_value(indicator, table, period)
            if result is None or getattr(result, "value", None) is None:
                continue
            current = existing.get((indicator.pk, period))
            values = {
                "value": _decimal(result.value),
                "numerator": _decimal(result.numerator),
                "denominator": _decimal(result.denominator),
            }
            if current is None:
                to_create.append(
                    Measurement(
                        municipality_id=indicator.municipality_id,
                        indicator=indicator,
                        period=period,
                        source=MeasurementSource.COMPUTED,
                        **values,
                    )
                )
                continue
            closed = period < as_of.year - OPEN_PERIODS + 1 and not all_periods
            if current.source == MeasurementSource.MANUAL or closed:
                continue
            if any(getattr(current, k) != v for k, v in values.items()):
                for k, v in values.items():
                    setattr(current, k, v)
                current.recorded_at = now
                to_update.append(current)
    return to_create, to_update


def measurements_recompute(
    *, municipality_id: int, as_of: datetime.date | None = None, all_periods: bool = False
) -> RecomputeResult:
    """Rebuild the municipality's `MetricFact` rows and its computed indicators' measurements.

    Rules: a measurement a coordinator corrected or entered (source "manual") is never
    overwritten; closed periods (older than `OPEN_PERIODS` years) are only filled when
    missing, unless `all_periods`. Then the goals' suggested statuses follow the new
    figures (`apps.kpis.goal_status.suggest_goal_statuses`). A constant number of queries
    per municipality.
    """
    as_of = as_of or timezone.localdate()
    with transaction.atomic():
        MetricFact.objects.filter(municipality_id=municipality_id).delete()
        facts = MetricFact.objects.bulk_create(
            facts_build(municipality_id=municipality_id, as_of=as_of), batch_size=5000
        )
        table = FactTable.load(municipality_ids=[municipality_id])
        indicators = list(
            Indicator.objects.filter(municipality_id=municipality_id)
            .exclude(metric="")
            .select_related("programme")
        )
        existing = {
            (m.indicator_id, m.period): m
            for m in Measurement.objects.filter(indicator__in=indicators)
        }
        to_create, to_update = _measurements_refresh(
            indicators, table, existing, as_of=as_of, all_periods=all_periods
        )
        Measurement.objects.bulk_create(to_create)
        Measurement.objects.bulk_update(
            to_update, ["value", "numerator", "denominator", "recorded_at"]
        )
        suggest_goal_statuses(municipality_id=municipality_id)
    return RecomputeResult(len(facts), len(to_create), len(to_update))


def _suggest_for(indicator_id: int, municipality_id: int) -> None:
    """The goals linked to one indicator get their suggestion again (its figures changed)."""
    suggest_goal_statuses(municipality_id=municipality_id, indicator_ids=[indicator_id])


def _check_version(obj, expected_version):
    if expected_version is not None and obj.version != expected_version:
        raise ValidationError(
            _("Målingen er ændret af en anden, siden du åbnede den. Genindlæs og prøv igen.")
        )


def measurement_correct(
    *, measurement: Measurement, actor, value: Decimal, note: str, expected_version=None
) -> Measurement:
    """A coordinator corrects a measurement: it becomes manual (recomputation leaves it be),
    with who, when and why, and the old value in the audit trail."""
    with transaction.atomic():
        measurement = Measurement.objects.select_for_update().get(pk=measurement.pk)
        _check_version(measurement, expected_version)
        before = {
            "value": measurement.value,
            "source": measurement.source,
            "note": measurement.note,
        }
        measurement.value = value
        # The counts no longer describe a corrected value.
        measurement.numerator = measurement.denominator = None
        measurement.source = MeasurementSource.MANUAL
        measurement.note = note
        measurement.recorded_by = actor
        measurement.version += 1
        measurement.full_clean()
        measurement.save()
        after = {"value": measurement.value, "source": measurement.source, "note": note}
        audit_record(
            actor=actor,
            action="kpis.measurement.corrected",
            obj=measurement,
            changes={k: [before[k], after[k]] for k in after if before[k] != after[k]},
        )
        _suggest_for(measurement.indicator_id, measurement.municipality_id)
    return measurement


def measurement_create(
    *, indicator: Indicator, actor, period: int, value: Decimal, note: str = ""
) -> Measurement:
    """A measurement entered by hand (survey answers and other figures the trainee data
    cannot give); one per indicator and period."""
    with transaction.atomic():
        measurement = Measurement(
            municipality_id=indicator.municipality_id,
            indicator=indicator,
            period=period,
            value=value,
            source=MeasurementSource.MANUAL,
            recorded_by=actor,
            note=note,
        )
        measurement.full_clean()
        measurement.save()
        audit_record(
            actor=actor,
            action="kpis.measurement.created",
            obj=measurement,
            changes={"value": [None, value], "period": [None, period]},
        )
        _suggest_for(indicator.pk, indicator.municipality_id)
    return measurement


INDICATOR_TARGET_FIELDS = [
    "name",
    "metric",
    "department",
    "programme",
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


def _indicator_measurements_rebuild(indicator: Indicator) -> None:
    """Replace `indicator`'s computed measurements, all periods, from the stored facts."""
    Measurement.objects.filter(indicator=indicator, source=MeasurementSource.COMPUTED).delete()
    table = FactTable.load(municipality_ids=[indicator.municipality_id])
    existing = {(m.indicator_id, m.period): m for m in indicator.measurements.all()}
    to_create, _to_update = _measurements_refresh(
        [indicator], table, existing, as_of=timezone.localdate(), all_periods=True
    )
    Measurement.objects.bulk_create(to_create)


def indicator_update(
    *,
    indicator: Indicator,
    actor,
    data: dict,
    expected_version=None,
    baseline_from_period: int | None = None,
) -> Indicator:
    """A coordinator changes an indicator: what it measures, baseline, target or cohort; old →
    new in the audit. With `baseline_from_period` the baseline is the value the portal
    computes for that period (`indicator_baseline_measure`), recorded as measured.

    A changed metric, filter or cohort changes what the computed measurements describe, so
    they are computed again for every period from the stored facts (corrected and entered
    ones stay).
    """
    with transaction.atomic():
        indicator = Indicator.objects.select_for_update().get(pk=indicator.pk)
        if expected_version is not None and indicator.version != expected_version:
            raise ValidationError(
                _("Nøgletallet er ændret af en anden, siden du åbnede det. Genindlæs og prøv igen.")
            )
        before = {f: getattr(indicator, f) for f in INDICATOR_TARGET_FIELDS}
        for f in INDICATOR_TARGET_FIELDS:
            if f in data:
                setattr(indicator, f, data[f])
        _follow_metric(indicator)
        if baseline_from_period is not None:
            indicator.baseline_value = indicator_baseline_measure(indicator, baseline_from_period)
            indicator.baseline_period = baseline_from_period
            indicator.baseline_measured = True
        elif any(before[f] != getattr(indicator, f) for f in ("baseline_value", "baseline_period")):
            indicator.baseline_measured = False  # typed in: from the document now
        indicator.version += 1
        indicator.full_clean()
        indicator.save()
        measured = ("metric", "department", "programme", "cohort_year")
        if indicator.is_computed and any(before[f] != getattr(indicator, f) for f in measured):
            _indicator_measurements_rebuild(indicator)
        after = {f: getattr(indicator, f) for f in INDICATOR_TARGET_FIELDS}
        changes = {f: [before[f], after[f]] for f in after if before[f] != after[f]}
        if baseline_from_period is not None:  # re-measured, even when the value is the same
            changes.setdefault(
                "baseline_value", [before["baseline_value"], after["baseline_value"]]
            )
        audit_record(
            actor=actor,
            action="kpis.indicator.updated",
            obj=indicator,
            changes={f: [_plain(o), _plain(n)] for f, (o, n) in changes.items()},
            context=_baseline_context(baseline_from_period),
        )
        _suggest_for(indicator.pk, indicator.municipality_id)
    return indicator


# --- creating and deleting indicators -------------------------------------------------------

# The audit context that says a baseline was measured by the portal (not typed in from a
# document); the indicator itself keeps it in `baseline_measured`.
BASELINE_MEASURED = "computed"


def _plain(value):
    """A JSON-safe audit value (model instances by their primary key)."""
    return value.pk if hasattr(value, "pk") else value


def _baseline_context(period: int | None) -> dict:
    return {"baseline": BASELINE_MEASURED, "baseline_period": period} if period else {}


def _follow_metric(indicator: Indicator) -> None:
    """A computed indicator takes its unit and direction from the metric's definition."""
    if not indicator.metric:
        return
    definition = REGISTRY.get(indicator.metric)
    if definition is None or definition.is_breakdown:
        raise ValidationError(
            {"metric": _("En fordeling kan ikke være et nøgletal med mål. Vælg et andet.")}
        )
    indicator.unit, indicator.direction = definition.unit, definition.direction


def indicator_baseline_measure(indicator: Indicator, period: int) -> Decimal:
    """The value the portal computes for `indicator` in `period`, by the same registry and
    facts the dashboards use; a Danish error when there is none."""
    if not indicator.metric:
        raise ValidationError(
            {
                "baseline_source": _(
                    "Et manuelt nøgletal har ingen målt værdi: skriv baseline ind fra dokumentet."
                )
            }
        )
    table = FactTable.load(municipality_ids=[indicator.municipality_id])
    result = indicator_value(indicator, table, period)
    value = getattr(result, "value", None) if result is not None else None
    if value is None:
        raise ValidationError(
            {
                "baseline_period": _(
                    "Portalen har ingen målt værdi for %(year)s for dette nøgletal. Vælg et "
                    "andet år, eller skriv baseline ind fra dokumentet."
                )
                % {"year": period}
            }
        )
    return _decimal(value)


def indicator_create(
    *, municipality_id: int, actor, data: dict, baseline_from_period: int | None = None
) -> Indicator:
    """A new indicator: computed (`metric` with optional department, programme and cohort
    filters; unit and direction from the metric) or manual (unit and direction chosen). The
    baseline is typed in, or with `baseline_from_period` measured by the portal for that
    period. Its computed measurements are filled at once. Audit "kpis.indicator.created"."""
    unknown = set(data) - set(INDICATOR_TARGET_FIELDS)
    if unknown:
        raise ValueError(f"Fields not settable: {sorted(unknown)}")
    with transaction.atomic():
        indicator = Indicator(municipality_id=municipality_id, **data)
        _follow_metric(indicator)
        if baseline_from_period is not None:
            indicator.baseline_value = indicator_baseline_measure(indicator, baseline_from_period)
            indicator.baseline_period = baseline_from_period
        indicator.baseline_measured = baseline_from_period is not None
        indicator.full_clean()
        indicator.save()
        if indicator.is_computed:
            _indicator_measurements_rebuild(indicator)
        audit_record(
            actor=actor,
            action="kpis.indicator.created",
            obj=indicator,
            changes={
                f: [None, _plain(getattr(indicator, f))]
                for f in INDICATOR_TARGET_FIELDS
                if getattr(indicator, f) not in (None, "")
            },
            context=_baseline_context(baseline_from_period),
        )
    return indicator


def indicator_delete(
    *, indicator: Indicator, actor, expected_version=None, including_manual: bool = False
) -> None:
    """Delete an indicator with its measurements. Computed measurements can be computed
    again; measurements entered or corrected by hand can't, so deleting those needs
    `including_manual` (the page asks). Audit "kpis.indicator.deleted"."""
    with transaction.atomic():
        indicator = Indicator.objects.select_for_update().get(pk=indicator.pk)
        if expected_version is not None and indicator.version != expected_version:
            raise ValidationError(
                _("Nøgletallet er ændret af en anden, siden du åbnede det. Genindlæs og prøv igen.")
            )
        manual = sorted(
            indicator.measurements.filter(source=MeasurementSource.MANUAL).values_list(
                "period", flat=True
            )
        )
        if manual and not including_manual:
            raise ValidationError(
                _(
                    "Nøgletallet har målinger, der er indtastet eller rettet i hånden "
                    "(%(years)s). De kan ikke beregnes igen: bekræft, at de skal slettes med."
                )
                % {"years": ", ".join(str(y) for y in manual)},
                code="manual_measurements",
            )
        audit_record(
            actor=actor,
            action="kpis.indicator.deleted",
            obj=indicator,
            changes={
                f: [_plain(getattr(indicator, f)), None]
                for f in INDICATOR_TARGET_FIELDS
                if getattr(indicator, f) not in (None, "")
            },
            context={"manual_measurements": manual},
        )
        indicator.delete()
