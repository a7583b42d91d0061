"""Demo indicators: the seed strategies' measurable goals with the documents' own baselines
and targets, linked to the goals loaded by apps.demo.strategies, then computed."""

from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction

from apps.kpis.choices import Direction, MeasurementSource, Metric, TargetKind, Unit
from apps.kpis.models import Indicator, Measurement
from apps.kpis.services import measurements_recompute
from apps.organisation.models import Department, Municipality
from apps.strategy.models import FocusArea, Goal
from apps.trainees.models import Programme


@dataclass(frozen=True)
class Spec:
    name: str
    goal: str  # the start of the goal's verbatim text ("" when the document has no such goal)
    focus_area: str  # the start of the focus area's title, the fallback link
    metric: str = ""
    unit: str = Unit.PERCENT
    direction: str = Direction.HIGHER
    baseline: str | None = None
    baseline_period: int | None = None
    target: str | None = None
    target_period: int | None = None
    target_kind: str = TargetKind.ABSOLUTE
    programme: str = ""
    department: str = ""
    manual: dict = field(default_factory=dict)  # {period: (value, note)} for survey figures
    note: str = ""


SPECS: dict[int, list[Spec]] = {
    250: [
        Spec(
            "Frafald på hovedforløbet, SSH",
            "at vi reducerer andelen som falder fra",
            "#2",
            Metric.DROPOUT_RATE,
            direction=Direction.LOWER,
            baseline="16",
            baseline_period=2024,
            target="-7",
            target_period=2026,
            target_kind=TargetKind.RELATIVE,
            programme="SSH",
            note="Senest færdige årgang (SSH 2022): 16 procent.",
        ),
        Spec(
            "Frafald på hovedforløbet, SSA",
            "at vi reducerer andelen som falder fra",
            "#2",
            Metric.DROPOUT_RATE,
            direction=Direction.LOWER,
            baseline="40",
            baseline_period=2024,
            target="-7",
            target_period=2026,
            target_kind=TargetKind.RELATIVE,
            programme="SSA",
            note="Senest færdige årgang (SSA 2020): 40 procent.",
        ),
        Spec(
            "Elevernes sygefravær",
            "at vi nedbringer elevernes sygefravær",
            "#2",
            Metric.SICK_ABSENCE_RATE,
            direction=Direction.LOWER,
            baseline="8.84",
            baseline_period=2023,
            target="-1",
            target_period=2027,
            target_kind=TargetKind.POINTS,
            note="Dokumentet skriver både 8,64 og 8,84 procent for 2023; målet bruger 8,84.",
        ),
        Spec(
            "Ansat i kommunen efter endt uddannelse",
            "At vi øger andelen af elever, der ansættes",
            "#3",
            Metric.HIRE_RATE,
            baseline="41.4",
            baseline_period=2024,
            target="3",
            target_period=2027,
            target_kind=TargetKind.POINTS,
            note="Ansatte pr. startet elev på de senest færdige årgange på begge uddannelser.",
        ),
        Spec(
            "Egne SSH-medarbejdere ansat som SSA-elever",
            "At vi årligt fortsat ansætter minimum fem",
            "#3",
            Metric.INTERNAL_SSH_COUNT,
            unit=Unit.COUNT,
            baseline="5",
            baseline_period=2023,
            target="5",
            target_period=2027,
        ),
        Spec(
            "Egne ufaglærte i uddannelse",
            "At vi holder vores nuværende niveau",
            "#1",
            Metric.INTERNAL_UNSKILLED_COUNT,
            unit=Unit.COUNT,
            target="8",
            target_period=2027,
        ),
        Spec(
            "Optag af SSA-elever i forhold til dimensioneringen (56 om året)",
            "At vi rekrutterer tilstrækkeligt med kvalificerede ansøgere",
            "#1",
            Metric.INTAKE_VS_QUOTA,
            programme="SSA",
            target="100",
            target_period=2026,
        ),
        Spec(
            "Optag af SSH-elever i forhold til dimensioneringen (27 om året)",
            "At vi rekrutterer tilstrækkeligt med kvalificerede ansøgere",
            "#1",
            Metric.INTAKE_VS_QUOTA,
            programme="SSH",
            target="100",
            target_period=2026,
        ),
        Spec(
            "Elever, der oplevede at blive taget godt imod",
            "",
            "#2",
            Metric.PLACEMENT_WELCOMED_SHARE,
            baseline="80",
            baseline_period=2022,
            manual={2022: ("80", "Landsdækkende elevvurdering 2022")},
            note=(
                "Beregnet fra praktikundersøgelsen (svarene Ja, i høj grad og Ja, i nogen grad) "
                "efter det år praktikken sluttede; 2022 er indtastet fra elevvurderingen."
            ),
        ),
    ],
    219: [
        Spec(
            "Uddannede praktikvejledere",
            "at alle praktikvejledere opnår uddannelse",
            "Uddannelse og",
            Metric.TRAINED_SUPERVISOR_SHARE,
            target="100",
        ),
        Spec(
            "Uddannede vejledere i Ældre og Sundhed",
            "At alle assistenter i udgangspunktet",
            "Uddannelse og",
            Metric.TRAINED_SUPERVISOR_SHARE,
            target="100",
            department="Ældre og Sundhed",
        ),
        Spec(
            "Dagtilbud med en uddannet vejleder",
            "Målet er en uddannet vejleder i hvert dagtilbud",
            "Uddannelse og",
            Metric.SUPERVISOR_COVERAGE,
            target="100",
            department="Dagtilbud",
        ),
    ],
    165: [
        Spec(
            "Frafald, SSA",
            "",
            "Ældreområdet",
            Metric.DROPOUT_RATE,
            direction=Direction.LOWER,
            programme="SSA",
        ),
    ],
    217: [
        Spec(
            "Uddannede praktikvejledere",
            "",
            "Uddannelse og opkvalificering",
            Metric.TRAINED_SUPERVISOR_SHARE,
        ),
    ],
    707: [
        Spec("Ansat efter endt uddannelse", "", "Fra ledighed", Metric.HIRED_AFTER_COMPLETION_RATE),
    ],
}


def _dec(value: str | None) -> Decimal | None:
    return None if value is None else Decimal(value)


@transaction.atomic
def _load_municipality(municipality: Municipality, specs: list[Spec], stdout) -> int:
    goals = list(Goal.objects.filter(focus_area__strategy__municipality=municipality))
    areas = list(FocusArea.objects.filter(strategy__municipality=municipality))
    for order, spec in enumerate(specs):
        goal = next((g for g in goals if spec.goal and g.text.startswith(spec.goal)), None)
        area = next((a for a in areas if a.title.startswith(spec.focus_area)), None)
        if spec.goal and goal is None:
            stdout.write(
                f"  {municipality.name}: målsætningen til '{spec.name}' findes ikke; "
                + ("knyttet til indsatsområdet.\n" if area else "ikke knyttet.\n")
            )
        indicator, _ = Indicator.objects.update_or_create(
            municipality=municipality,
            name=spec.name,
            defaults={
                "goal": goal,
                "focus_area": goal.focus_area if goal else area,
                "metric": spec.metric,
                "unit": spec.unit,
                "direction": spec.direction,
                "baseline_value": _dec(spec.baseline),
                "baseline_period": spec.baseline_period,
                "target_value": _dec(spec.target),
                "target_period": spec.target_period,
                "target_kind": spec.target_kind,
                "programme": Programme.objects.get(code=spec.programme) if spec.programme else None,
                "department": Department.objects.get(
                    municipality=municipality, name=spec.department
                )
                if spec.department
                else None,
                "note": spec.note,
                "order": order,
            },
        )
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


def load_indicators(*, stdout) -> None:
    """Create or update the seed municipalities' indicators (idempotent) and compute their
    measurements and the dashboards' facts."""
    for code, specs in SPECS.items():
        municipality = Municipality.objects.filter(code=code).first()
        if municipality is None:
            continue
        count = _load_municipality(municipality, specs, stdout)
        result = measurements_recompute(municipality_id=municipality.pk, all_periods=True)
        computed = result.created + result.updated
        stdout.write(
            f"Nøgletal for {municipality.name}: {count} nøgletal, {computed} målinger beregnet\n"
        )
