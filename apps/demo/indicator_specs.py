"""The demo indicators of each seed municipality (apps.demo.indicators loads them).

Baselines and targets are the documents' own (shared/seeds/) where they give numbers. Where a
document states a goal without one, `measured_baseline` names the period whose computed value
becomes the baseline, and the target is a demo target; MEASURED_NOTE says so on the indicator.
"""

from dataclasses import dataclass, field

from apps.kpis.choices import Direction, Metric, TargetKind, Unit


@dataclass(frozen=True)
class Spec:
    name: str
    # The start of the verbatim text of each goal the indicator measures ("" or () when the
    # document has no such goal); a department's indicator looks among that department's
    # goals and the fælles mål.
    goals: str | tuple[str, ...]
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
    # The period whose computed value is the baseline (the document gives none).
    measured_baseline: int | None = None

    @property
    def goal_starts(self) -> tuple[str, ...]:
        starts = (self.goals,) if isinstance(self.goals, str) else self.goals
        return tuple(s for s in starts if s)


MEASURED_NOTE = (
    "Baseline: målt af portalen for {period} ud fra elevdata – strategien angiver ingen "
    "baseline. Mål: demomål, ikke fra strategien, som ikke sætter et måltal."
)


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
        Spec(
            "Frafald blandt elever og studerende",
            (
                "at alle elever og studerende tilbydes et struktureret introduktions-",
                "at der sættes ressourcer af til at sikre en veltilrettelagt",
            ),
            "Grundig og systematisk onboarding",
            Metric.DROPOUT_RATE,
            direction=Direction.LOWER,
            measured_baseline=2023,
            target="-10",
            target_period=2026,
            target_kind=TargetKind.RELATIVE,
            note="Frafald på de senest færdige årgange på alle uddannelser.",
        ),
        Spec(
            "Frafald i Ældre og Sundhed",
            (
                "Alle elever og studerende: har en forventningssamtale",
                "Alle elever og studerende: tildes en vejleder inden opstart",
            ),
            "Grundig og systematisk onboarding",
            Metric.DROPOUT_RATE,
            direction=Direction.LOWER,
            measured_baseline=2023,
            target="-10",
            target_period=2026,
            target_kind=TargetKind.RELATIVE,
            department="Ældre og Sundhed",
            note="Frafald på fagområdets senest færdige årgange.",
        ),
        Spec(
            "Ansat i kommunen efter endt uddannelse",
            (
                "at synliggøre karriereveje og udviklingsmuligheder på tværs",
                "Vi er optaget af at høj faglighed giver studerende gode historier",
                "Kontorelever: Vi vil arbejde for at vores elever har et højt niveau",
            ),
            "Tværgående initiativer",
            Metric.HIRED_AFTER_COMPLETION_RATE,
            measured_baseline=2023,
            target="5",
            target_period=2027,
            target_kind=TargetKind.POINTS,
            note="Andel af de færdiguddannede på de senest færdige årgange, som kommunen ansatte.",
        ),
        Spec(
            "Ansat efter endt uddannelse i Ældre og Sundhed",
            (
                "Studerende, elever og medarbejdere: Oplever, at der er gode studie- og",
                "Det skal være tydeligt for studerende, elever og nye medarbejdere",
            ),
            "Branding",
            Metric.HIRED_AFTER_COMPLETION_RATE,
            measured_baseline=2023,
            target="5",
            target_period=2027,
            target_kind=TargetKind.POINTS,
            department="Ældre og Sundhed",
            note="Andel af fagområdets færdiguddannede, som kommunen ansatte.",
        ),
        Spec(
            "Elevernes sygefravær",
            (
                "Leder har ansvar for, at der skabes et godt læringsmiljø",
                "Lærlinge fra Ejendomsserviceteknikeruddannelsen: I samarbejde med den",
            ),
            "Ledelsesopmærksomhed",
            Metric.SICK_ABSENCE_RATE,
            direction=Direction.LOWER,
            measured_baseline=2023,
            target="-1",
            target_period=2027,
            target_kind=TargetKind.POINTS,
            note="Sygefraværsdage i procent af planlagte dage.",
        ),
        Spec(
            "Elevernes sygefravær i Ældre og Sundhed",
            ("Studerende, elever og medarbejdere: Fastholdes gennem støtte i jobskifte",),
            "Branding",
            Metric.SICK_ABSENCE_RATE,
            direction=Direction.LOWER,
            measured_baseline=2023,
            target="-1",
            target_period=2027,
            target_kind=TargetKind.POINTS,
            department="Ældre og Sundhed",
            note="Sygefraværsdage i procent af fagområdets planlagte dage.",
        ),
        Spec(
            "Optag i forhold til dimensioneringen",
            (
                "at styrke den fælleskommunale dagsorden om fælles initiativer",
                "Vi har et fælles projekt om rekruttering og onboarding",
            ),
            "Tværgående initiativer",
            Metric.INTAKE_VS_QUOTA,
            measured_baseline=2023,
            target="100",
            target_period=2026,
            note="Startede elever og studerende i procent af det årlige optag i strategiens "
            "tabel (afsnit 3).",
        ),
    ],
    165: [
        Spec(
            "Frafald, SSA",
            "Et øget fokus på frafaldstruede elever",
            "Ældreområdet",
            Metric.DROPOUT_RATE,
            direction=Direction.LOWER,
            programme="SSA",
        ),
    ],
    217: [
        Spec(
            "Uddannede praktikvejledere",
            "Vi vil styrke arbejdet med praktikvejledningen.",
            "Uddannelse og opkvalificering",
            Metric.TRAINED_SUPERVISOR_SHARE,
        ),
    ],
    707: [
        Spec(
            "Ansat efter endt uddannelse",
            "At flere vender tilbage til Norddjurs Kommunes arbejdspladser",
            "Unge i velfærdsfagene",
            Metric.HIRED_AFTER_COMPLETION_RATE,
        ),
    ],
}
