"""Demo indicators: the seed strategies' measurable goals with the documents' own baselines
and targets, linked to the goals loaded by apps.demo.strategies, then computed.

Where a document sets a goal without a number (Hillerød's fastholdelse, trivsel and
rekruttering), the indicator's baseline is what the portal measured from the demo data for a
named period (`measured_baseline`), through the same KPI registry the dashboards use, and its
target a demo target; the note says both, so neither is ever shown as the document's figure.
"""

from decimal import Decimal

from django.db import transaction

from apps.demo.indicator_specs import MEASURED_NOTE, SPECS, Spec
from apps.kpis.choices import MeasurementSource, TargetKind
from apps.kpis.facts import FactTable
from apps.kpis.models import Indicator, Measurement
from apps.kpis.services import indicator_value, measurements_recompute
from apps.organisation.models import Department, Municipality
from apps.strategy.models import FocusArea, Goal
from apps.trainees.models import Programme


def _dec(value: str | None) -> Decimal | None:
    return None if value is None else Decimal(value)


def _linked_goals(spec: Spec, goals: list[Goal], department: Department | None) -> list[Goal]:
    """The goals whose text starts with one of the spec's starts: for a department's
    indicator, among that department's goals and the fælles mål."""
    return [
        g
        for start in spec.goal_starts
        for g in goals
        if g.text.startswith(start)
        and (department is None or g.department_id in (None, department.pk))
    ]


@transaction.atomic
def _load_municipality(municipality: Municipality, specs: list[Spec], stdout) -> int:
    goals = list(
        Goal.objects.filter(focus_area__strategy__municipality=municipality).order_by(
            "focus_area__order", "order", "id"
        )
    )
    areas = list(FocusArea.objects.filter(strategy__municipality=municipality))
    programmes = {p.code: p for p in Programme.objects.all()}
    departments = {d.name: d for d in Department.objects.filter(municipality=municipality)}
    for order, spec in enumerate(specs):
        department = departments[spec.department] if spec.department else None
        linked = _linked_goals(spec, goals, department)
        area = next((a for a in areas if a.title.startswith(spec.focus_area)), None)
        if len(linked) < len(spec.goal_starts):
            stdout.write(
                f"  {municipality.name}: en målsætning til '{spec.name}' findes ikke; "
                + ("knyttet til indsatsområdet.\n" if area else "ikke knyttet.\n")
            )
        defaults = {
            "focus_area": linked[0].focus_area if linked else area,
            "metric": spec.metric,
            "unit": spec.unit,
            "direction": spec.direction,
            "programme": programmes[spec.programme] if spec.programme else None,
            "department": department,
            "note": spec.note,
            "order": order,
        }
        if spec.measured_baseline is None:
            defaults |= {
                "baseline_value": _dec(spec.baseline),
                "baseline_period": spec.baseline_period,
                "target_value": _dec(spec.target),
                "target_period": spec.target_period,
                "target_kind": spec.target_kind,
            }
        else:
            # Baseline, target and note follow once the population is measured.
            del defaults["note"]
        indicator, _ = Indicator.objects.update_or_create(
            municipality=municipality, name=spec.name, defaults=defaults
        )
        indicator.goals.set(linked)
        for period, (value, note) in spec.manual.items():
            Measurement.objects.update_or_create(
                indicator=indicator,
                period=period,
                defaults={
                    "municipality": municipality,
                    "value": Decimal(value),
                    "source": MeasurementSource.MANUAL,
                    "note": note,
                },
            )
    return len(specs)


def _measure_baselines(municipality: Municipality, specs: list[Spec]) -> int:
    """Set the measured baselines: each indicator's value for its named period as the KPI
    registry computes it from the municipality's facts, with the spec's demo target.
    Returns how many indicators changed (none on a second load)."""
    measured = {s.name: s for s in specs if s.measured_baseline is not None}
    if not measured:
        return 0
    table = FactTable.load(municipality_ids=[municipality.pk])
    changed = 0
    for indicator in Indicator.objects.filter(
        municipality=municipality, name__in=measured
    ).select_related("programme"):
        spec = measured[indicator.name]
        result = indicator_value(indicator, table, spec.measured_baseline)
        value = None
        if result is not None and result.value is not None:
            value = Decimal(str(round(result.value, 2)))  # as measurements store it
        fields = {
            "baseline_value": value,
            "baseline_period": spec.measured_baseline,
            "baseline_measured": value is not None,
            # Without a baseline, a change target has nothing to change from.
            "target_value": _dec(spec.target) if value is not None else None,
            "target_period": spec.target_period,
            "target_kind": spec.target_kind if value is not None else TargetKind.ABSOLUTE,
            "note": " ".join(
                filter(None, [spec.note, MEASURED_NOTE.format(period=spec.measured_baseline)])
            )
            if value is not None
            else spec.note,
        }
        if any(getattr(indicator, k) != v for k, v in fields.items()):
            for k, v in fields.items():
                setattr(indicator, k, v)
            indicator.full_clean()
            indicator.save(update_fields=list(fields))
            changed += 1
    return changed


def load_indicators(*, stdout) -> None:
    """Create or update the seed municipalities' indicators (idempotent) and compute their
    measurements and the dashboards' facts."""
    for code, specs in SPECS.items():
        municipality = Municipality.objects.filter(code=code).first()
        if municipality is None:
            continue
        count = _load_municipality(municipality, specs, stdout)
        result = measurements_recompute(municipality_id=municipality.pk, all_periods=True)
        if _measure_baselines(municipality, specs):
            # Once more, so what the recomputation derives from baselines and targets (the
            # goals' suggested status) sees the measured ones.
            measurements_recompute(municipality_id=municipality.pk, all_periods=True)
        computed = result.created + result.updated
        stdout.write(
            f"Nøgletal for {municipality.name}: {count} nøgletal, {computed} målinger beregnet\n"
        )
