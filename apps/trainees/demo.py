"""The demo population for `manage.py load_demo`: trainees, placements, monthly absence,
supervisors and intake quotas for the five seed municipalities.

Generated, not real: a `random.Random` with a fixed seed and a fixed reference date make
every run produce the same people. Where the seed documents give numbers, the population
reproduces them exactly (shared/seeds/000 section 3 and 003):

- Hillerød: annual intake per faggruppe within the strategy's table ("6-14" → 6 to 14).
- Frederikssund: quota 56 SSA + 27 SSH a year; SSH 2022 cohort 37 started, 31 completed,
  6 dropped out, 19 hired (Døgnplejen 7, Omsorgscentre og daghjem 7, SSA-elev 5); SSA 2020
  cohort 45 / 27 / 18 / 15 (Døgnplejen 8, Omsorgscentre 5, Rehabilitering 2); dropouts in
  2023 by reason (Bilag 2: SSA 28, SSH 9); 2023 intake recruited internally 16.3 %
  (11.2 % unskilled + 5.1 % SSH, i.e. 11 + 5 of 98); sick absence 2023 8.64 %.

HR ids look like "D219-00042" / "V219-0007": never like a CPR number.
"""

from __future__ import annotations

import datetime
import itertools
import random
import time
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction

from apps.organisation.models import Department, Municipality, Workplace
from apps.supervisors.models import QualificationLevel, Supervisor
from apps.trainees.choices import AgeBand, PlacementKind, Recruitment, TraineeStatus
from apps.trainees.models import (
    Absence,
    DropoutReason,
    IntakeQuota,
    Phase,
    Placement,
    Programme,
    Trainee,
)

SEED = 2026
TODAY = datetime.date(2026, 11, 1)  # fixed, so the population does not change with the clock
YEARS = range(2019, 2027)
QUOTA_YEARS = range(2022, 2027)

FIRST_NAMES = (
    "Anne",
    "Mette",
    "Camilla",
    "Louise",
    "Sofie",
    "Emma",
    "Ida",
    "Maria",
    "Sara",
    "Julie",
    "Line",
    "Hanne",
    "Birgitte",
    "Karen",
    "Lene",
    "Pia",
    "Tina",
    "Rikke",
    "Amalie",
    "Freja",
    "Nadia",
    "Fatima",
    "Aisha",
    "Yasmin",
    "Mikkel",
    "Jonas",
    "Mads",
    "Anders",
    "Lars",
    "Peter",
    "Søren",
    "Thomas",
    "Rasmus",
    "Kasper",
    "Ali",
    "Omar",
    "Emil",
    "Oliver",
    "Frederik",
    "Jens",
    "Niels",
    "Henrik",
    "Ahmed",
    "Bilal",
)
# Surnames weighted like Denmark's population: approximate number of bearers in thousands
# (Danmarks Statistik's name statistics, rounded), the twenty most common first, then a tail of
# less common Danish names and, at low weight, names of other origins. Sorted by surname, a
# trainee list then starts with a few A-names before the many Andersens, as a real one does.
SURNAME_WEIGHTS = {
    "Nielsen": 236,
    "Jensen": 234,
    "Hansen": 199,
    "Pedersen": 148,
    "Andersen": 145,
    "Christensen": 110,
    "Larsen": 107,
    "Sørensen": 102,
    "Rasmussen": 88,
    "Jørgensen": 84,
    "Petersen": 69,
    "Madsen": 59,
    "Kristensen": 56,
    "Olsen": 46,
    "Thomsen": 38,
    "Christiansen": 34,
    "Poulsen": 31,
    "Johansen": 30,
    "Møller": 30,
    "Mortensen": 29,
    "Knudsen": 28,
    "Jakobsen": 27,
    "Mikkelsen": 25,
    "Olesen": 25,
    "Frederiksen": 24,
    "Laursen": 23,
    "Henriksen": 22,
    "Lund": 21,
    "Holm": 19,
    "Schmidt": 19,
    "Eriksen": 17,
    "Clausen": 16,
    "Kristiansen": 16,
    "Simonsen": 15,
    "Svendsen": 15,
    "Andreasen": 14,
    "Iversen": 13,
    "Jacobsen": 12,
    "Jeppesen": 12,
    "Mogensen": 12,
    "Frandsen": 11,
    "Lauridsen": 11,
    "Nissen": 11,
    "Østergaard": 11,
    "Jepsen": 10,
    "Kjær": 10,
    "Vestergaard": 10,
    "Dahl": 9,
    "Nørgaard": 9,
    "Skov": 9,
    "Søndergaard": 9,
    "Bach": 8,
    "Bruun": 8,
    "Lassen": 8,
    "Bech": 7,
    "Friis": 7,
    "Krogh": 7,
    "Bak": 6,
    "Dam": 6,
    "Holst": 6,
    "Juhl": 6,
    "Kjeldsen": 6,
    "Ravn": 6,
    "Toft": 6,
    "Winther": 6,
    "Aagaard": 5,
    "Berg": 5,
    "Brandt": 5,
    "Damgaard": 5,
    "Koch": 5,
    "Lind": 5,
    "Nygaard": 5,
    "Overgaard": 5,
    "Bang": 4,
    "Schou": 4,
    "Thygesen": 4,
    "Abildgaard": 3,
    "Albertsen": 3,
    "Appel": 2,
    # Other origins, at low weight.
    "Ahmed": 6,
    "Ali": 6,
    "Hussein": 5,
    "Hassan": 4,
    "Mohamed": 4,
    "Nguyen": 4,
    "Khan": 3,
    "Yilmaz": 3,
    "Abdi": 2,
    "Demir": 2,
    "Karimi": 2,
    "Kaya": 2,
    "Nowak": 2,
    "Said": 2,
    "Tran": 2,
    "Jama": 1,
    "Kowalski": 1,
    "Rahimi": 1,
    "Shah": 1,
    "Yusuf": 1,
}
LAST_NAMES = tuple(SURNAME_WEIGHTS)
_SURNAME_CUMULATIVE = tuple(itertools.accumulate(SURNAME_WEIGHTS.values()))


def _surname(rng: random.Random) -> str:
    """A surname drawn with the population's weights."""
    return rng.choices(LAST_NAMES, cum_weights=_SURNAME_CUMULATIVE)[0]


GUIDES = ("Susanne Lind", "Pernille Hald", "Ole Brink")

# Programme profiles: months of the course at the municipality, placement schedule
# (kind, number in order), whether HR records monthly absence (employed elever), dropout
# rate, share hired by the municipality after completing.
SOSU_GRUNDFORLOEB_MONTHS = 2


@dataclass(frozen=True)
class Profile:
    months: int
    schedule: tuple[tuple[str, int], ...]
    employed: bool
    dropout_rate: float
    hire_rate: float
    start_months: tuple[int, ...] = (2, 8)


S, T = PlacementKind.SCHOOL, PlacementKind.TRAINING
STUDENT = Profile(6, ((T, 1),), False, 0.04, 0.25, (2, 9))
SHORT_STUDENT = Profile(3, ((T, 1),), False, 0.03, 0.15, (2, 9))
PROFILES = {
    "SSH": Profile(25, ((S, 1), (T, 1), (S, 2), (T, 2)), True, 0.16, 0.6),
    "SSA": Profile(44, ((S, 1), (T, 1), (S, 2), (T, 2), (S, 3), (T, 3)), True, 0.36, 0.55),
    "PAU": Profile(25, ((S, 1), (T, 1), (S, 2), (T, 2)), True, 0.15, 0.4),
    "KONTOR": Profile(24, ((T, 1), (S, 1), (T, 2)), True, 0.1, 0.5, (8,)),
    "EJD": Profile(48, ((T, 1), (S, 1), (T, 2), (S, 2), (T, 3)), True, 0.1, 0.5, (8,)),
    "PAED": STUDENT,
    "SOC": STUDENT,
    "PSYK": STUDENT,
    "LAER": SHORT_STUDENT,
    "SYG": SHORT_STUDENT,
    "FYS": SHORT_STUDENT,
    "ERGO": SHORT_STUDENT,
    "PSYKMO": SHORT_STUDENT,
    "AUDIO": SHORT_STUDENT,
    "SUNDPL": SHORT_STUDENT,
}

# Intake per programme: (min, max) a year and the departments (by name) trainees belong to.
# Hillerød's table is section 3 of shared/seeds/000 verbatim; "Jobcenter" is a workplace of
# Borger- og Socialservice in the demo organisation.
HILLEROD = [
    ("SOC", (4, 4), ["Borger- og Socialservice", "Familier og Sundhed"]),
    ("PAU", (6, 14), ["Borger- og Socialservice", "Dagtilbud", "Skole"]),
    ("PAED", (30, 35), ["Borger- og Socialservice", "Dagtilbud", "Skole"]),
    ("SSH", (25, 25), ["Ældre og Sundhed"]),
    ("SSA", (52, 52), ["Ældre og Sundhed", "Borger- og Socialservice"]),
    ("SYG", (80, 80), ["Ældre og Sundhed"]),
    ("FYS", (32, 32), ["Ældre og Sundhed"]),
    ("ERGO", (18, 24), ["Ældre og Sundhed"]),
    ("PSYKMO", (10, 15), ["Ældre og Sundhed"]),
    ("AUDIO", (2, 4), ["Borger- og Socialservice"]),
    ("SUNDPL", (1, 1), ["Familier og Sundhed"]),
    ("LAER", (55, 55), ["Skole"]),
    ("PSYK", (1, 2), ["Borger- og Socialservice"]),
    ("KONTOR", (4, 4), ["Ejendomme, Personaleafdelingen m.fl."]),
    ("EJD", (5, 5), ["Ejendomme, Personaleafdelingen m.fl."]),
]
HILLEROD_FIRST_YEAR = {"PSYK": 2022}  # "Psykologistuderende (fra 2022)"
HILLEROD_NOTE = "Optag årligt ifølge uddannelsesstrategien, version februar 2022"

FREDERIKSSUND_DEPARTMENTS = [
    "Døgnplejen",
    "Omsorgscentre og daghjem",
    "Rehabilitering og midlertidige pladser",
]
FREDERIKSSUND_STARTED = {
    "SSA": {2019: 48, 2020: 45, 2021: 57, 2022: 58, 2023: 62, 2024: 60, 2025: 58, 2026: 57},
    "SSH": {2019: 30, 2020: 29, 2021: 28, 2022: 37, 2023: 36, 2024: 30, 2025: 29, 2026: 28},
}
FREDERIKSSUND_QUOTA = {"SSA": 56, "SSH": 27}
FREDERIKSSUND_QUOTA_NOTE = "Dimensionering: 56 SSA-elever og 27 SSH-elever om året"
# (programme, cohort year): completed, dropped out, hired by department (None = as SSA-elev)
FREDERIKSSUND_COHORTS = {
    ("SSH", 2022): (31, 6, {"Døgnplejen": 7, "Omsorgscentre og daghjem": 7, None: 5}),
    (
        "SSA",
        2020,
    ): (
        27,
        18,
        {
            "Døgnplejen": 8,
            "Omsorgscentre og daghjem": 5,
            "Rehabilitering og midlertidige pladser": 2,
        },
    ),
}
FREDERIKSSUND_DROPOUTS_2023 = {
    "SSA": {
        "private": 6,
        "academic": 5,
        "absence": 4,
        "illness": 3,
        "switch-ssa-ssh": 3,
        "job-elsewhere": 3,
        "moved": 1,
        "death": 1,
        "other": 2,
    },
    "SSH": {"academic": 5, "wrong-choice": 2, "other": 2},
}
# 2023 intake (98 = 62 SSA + 36 SSH): 5 SSH-staff as SSA students, 11 unskilled staff.
FREDERIKSSUND_INTERNAL_2023 = {
    "SSA": {Recruitment.INTERNAL_SSH: 5, Recruitment.INTERNAL_UNSKILLED: 6},
    "SSH": {Recruitment.INTERNAL_UNSKILLED: 5},
}
FREDERIKSSUND_SICK_RATE_2023 = Decimal("0.0864")

OTHER_MUNICIPALITIES = {
    165: [
        ("SSH", (18, 22), ["Ældre og Sundhed"]),
        ("SSA", (26, 32), ["Ældre og Sundhed"]),
        ("SYG", (20, 26), ["Ældre og Sundhed"]),
        ("PAED", (12, 16), ["Dagtilbud"]),
        ("PAU", (6, 9), ["Dagtilbud"]),
        ("LAER", (16, 22), ["Skole"]),
    ],
    707: [
        ("SSH", (22, 28), ["Sundhed og Omsorg"]),
        ("SSA", (30, 38), ["Sundhed og Omsorg", "Socialområdet"]),
        ("SYG", (16, 22), ["Sundhed og Omsorg"]),
        ("PAED", (6, 10), ["Socialområdet"]),
        ("PAU", (3, 6), ["Socialområdet"]),
    ],
    217: [
        ("SSH", (26, 32), ["SO"]),
        ("SSA", (40, 48), ["SO", "SSI"]),
        ("SYG", (26, 32), ["SO"]),
        ("PAED", (20, 28), ["DSFI", "SSI"]),
        ("PAU", (8, 12), ["DSFI"]),
        ("LAER", (26, 34), ["DSFI"]),
        ("SOC", (6, 10), ["BUF", "JBT"]),
        ("SUNDPL", (1, 3), ["BUF"]),
        ("KONTOR", (3, 5), ["JBT"]),
    ],
}

REASON_WEIGHTS = {
    "SSA": {"private": 6, "academic": 5, "absence": 4, "illness": 3, "switch-ssa-ssh": 3},
    "SSH": {"academic": 5, "wrong-choice": 2, "other": 2, "private": 2, "illness": 1},
}
DEFAULT_REASON_WEIGHTS = {
    "private": 3,
    "academic": 3,
    "wrong-choice": 3,
    "illness": 1,
    "moved": 1,
    "other": 1,
}
SOSU_PLACES = ("nursing_home", "home_care", "home_nursing", "rehabilitation", "social")
CHILD_PLACES = ("daycare", "school", "social")
THERAPY_PLACES = ("rehabilitation", "nursing_home", "health")
# Where a programme's training periods can take place (workplace kinds).
TRAINING_PLACES = {
    "SSH": SOSU_PLACES,
    "SSA": SOSU_PLACES,
    "PAU": CHILD_PLACES,
    "PAED": CHILD_PLACES,
    "LAER": ("school",),
    "SYG": ("home_nursing", "nursing_home", "health"),
    "FYS": THERAPY_PLACES,
    "ERGO": THERAPY_PLACES,
    "PSYKMO": THERAPY_PLACES,
    "SOC": ("administration", "social", "health"),
    "AUDIO": ("social", "health", "school"),
    "PSYK": ("social", "health"),
    "SUNDPL": ("health",),
    "KONTOR": ("administration",),
    "EJD": ("other",),
}
QUALIFICATION_WEIGHTS = {"none": 20, "intro": 25, "amu": 35, "diploma": 12, "clinical": 8}
PROFESSION_BY_KIND = {
    "nursing_home": ["Social- og sundhedsassistent", "Social- og sundhedshjælper", "Sygeplejerske"],
    "home_care": ["Social- og sundhedsassistent", "Social- og sundhedshjælper"],
    "home_nursing": ["Sygeplejerske"],
    "rehabilitation": ["Fysioterapeut", "Ergoterapeut", "Social- og sundhedsassistent"],
    "daycare": ["Pædagog"],
    "school": ["Lærer", "Pædagog"],
    "social": ["Socialrådgiver", "Pædagog", "Social- og sundhedsassistent"],
    "health": ["Sundhedsplejerske", "Psykolog"],
    "administration": ["Administrativ medarbejder", "Socialrådgiver"],
    "other": ["Ejendomsservicetekniker"],
}


@dataclass
class Draft:
    """One trainee being generated, with the schedule its placements come from."""

    trainee: Trainee
    profile: Profile
    schedule: list[tuple[str, int, datetime.date, datetime.date]] = field(default_factory=list)

    @property
    def window_end(self) -> datetime.date:
        return min(self.trainee.expected_end_date, TODAY)


def _add_months(day: datetime.date, months: int) -> datetime.date:
    month = day.month - 1 + months
    return datetime.date(day.year + month // 12, month % 12 + 1, 1)


def _schedule(profile: Profile, start: datetime.date, end: datetime.date):
    first = (
        _add_months(start, SOSU_GRUNDFORLOEB_MONTHS)
        if profile.employed and profile.schedule[0][0] == S
        else start
    )
    span = (end - first).days + 1
    periods = []
    count = len(profile.schedule)
    for i, (kind, number) in enumerate(profile.schedule):
        period_start = first + datetime.timedelta(days=span * i // count)
        period_end = first + datetime.timedelta(days=span * (i + 1) // count - 1)
        periods.append((kind, number, period_start, period_end))
    return periods


class Generator:
    """Builds one municipality's population in memory, then writes it with bulk_create."""

    def __init__(self, municipality: Municipality, rng: random.Random):
        self.municipality = municipality
        self.rng = rng
        # Names come from a generator of their own, so the name lists can change without
        # moving any of the figures drawn from `rng`.
        self.names = random.Random(f"{SEED}-{municipality.code}-names")
        self.departments = {d.name: d for d in Department.objects.filter(municipality=municipality)}
        self.workplaces: dict[int, list[Workplace]] = defaultdict(list)
        for workplace in Workplace.objects.filter(department__municipality=municipality).order_by(
            "department__order", "name"
        ):
            self.workplaces[workplace.department_id].append(workplace)
        self.programmes = {p.code: p for p in Programme.objects.all()}
        self.reasons = {r.code: r for r in DropoutReason.objects.all()}
        self.phases = {p.code: p for p in Phase.objects.all()}
        self.qualifications = {q.code: q for q in QualificationLevel.objects.all()}
        self.supervisors: dict[int, list[Supervisor]] = defaultdict(list)
        self.all_supervisors: list[Supervisor] = []
        self.drafts: list[Draft] = []

    # --- supervisors ------------------------------------------------------------------

    def make_supervisors(self) -> None:
        """3–7 supervisors per workplace (4 more in elder care), of mixed qualification."""
        rng, result = self.rng, self.all_supervisors
        codes, weights = zip(*QUALIFICATION_WEIGHTS.items(), strict=True)
        for department in sorted(self.departments.values(), key=lambda d: (d.order, d.name)):
            for workplace in self.workplaces[department.pk]:
                extra = 4 if workplace.kind in SOSU_PLACES else 0
                for _ in range(rng.randint(3, 7) + extra):
                    code = rng.choices(codes, weights)[0]
                    if code == "clinical" and workplace.kind not in (
                        "home_nursing",
                        "nursing_home",
                    ):
                        code = "amu"
                    qualified_on = None
                    if code != "none":
                        qualified_on = datetime.date(rng.randint(2012, 2026), rng.randint(1, 10), 1)
                    supervisor = Supervisor(
                        municipality=self.municipality,
                        hr_id=f"V{self.municipality.code}-{len(result) + 1:04d}",
                        name=f"{self.names.choice(FIRST_NAMES)} {_surname(self.names)}",
                        workplace=workplace,
                        profession=rng.choice(PROFESSION_BY_KIND.get(workplace.kind, ["Andet"])),
                        qualification=self.qualifications[code],
                        qualified_on=qualified_on,
                        is_active=rng.random() > 0.08,
                    )
                    result.append(supervisor)
                    self.supervisors[workplace.pk].append(supervisor)

    # --- trainees ---------------------------------------------------------------------

    def add_cohort(self, code: str, year: int, count: int, department_names: list[str]):
        rng, profile = self.rng, PROFILES[code]
        departments = [self.departments[name] for name in department_names]
        weights = [3] + [1] * (len(departments) - 1)
        for _ in range(count):
            start = datetime.date(year, rng.choice(profile.start_months), 1)
            expected_end = _add_months(start, profile.months) - datetime.timedelta(days=1)
            trainee = Trainee(
                municipality=self.municipality,
                first_name=self.names.choice(FIRST_NAMES),
                last_name=_surname(self.names),
                programme=self.programmes[code],
                department=rng.choices(departments, weights)[0],
                start_date=start,
                expected_end_date=expected_end,
                status=TraineeStatus.ACTIVE,
                age_band=self._age_band(code),
                recruitment=self._recruitment(code),
            )
            draft = Draft(trainee, profile, _schedule(profile, start, expected_end))
            self.drafts.append(draft)
            if rng.random() < profile.dropout_rate:
                self.drop_out(draft, self._dropout_date(draft))

    def _age_band(self, code: str) -> str:
        # Frederikssund: 82 % of SSA and 73 % of SSH students are 25 or older at start.
        bands = [b.value for b in AgeBand]
        if code == "SSA":
            weights = [3, 15, 22, 30, 20, 10]
        elif code in ("SSH", "PAU"):
            weights = [7, 20, 20, 25, 18, 10]
        else:
            weights = [2, 50, 30, 12, 5, 1]
        return self.rng.choices(bands, weights)[0]

    def _recruitment(self, code: str) -> str:
        if code not in ("SSH", "SSA"):
            return Recruitment.EXTERNAL
        roll = self.rng.random()
        if roll < 0.1:
            return Recruitment.INTERNAL_UNSKILLED
        if code == "SSA" and roll < 0.17:
            return Recruitment.INTERNAL_SSH
        return Recruitment.EXTERNAL

    def _dropout_date(self, draft: Draft) -> datetime.date:
        """Most dropouts come early: grundforløb and the first training periods."""
        start = draft.trainee.start_date
        span = (draft.trainee.expected_end_date - start).days
        return start + datetime.timedelta(days=int(span * self.rng.random() ** 1.8))

    def drop_out(self, draft: Draft, day: datetime.date | None) -> None:
        trainee = draft.trainee
        if day is None or day > TODAY:
            trainee.status, trainee.end_date = TraineeStatus.ACTIVE, None
            return
        trainee.status = TraineeStatus.DROPPED_OUT
        trainee.end_date = day

    def settle(self) -> None:
        """Status of everyone not dropped out, then reasons, phases and hiring."""
        rng = self.rng
        for draft in self.drafts:
            trainee = draft.trainee
            if trainee.status == TraineeStatus.DROPPED_OUT:
                if trainee.dropout_reason is None:
                    trainee.dropout_reason = self._random_reason(trainee.programme.code)
                trainee.dropout_phase = self._phase_on(draft, trainee.end_date)
            elif trainee.expected_end_date <= TODAY:
                trainee.status = TraineeStatus.COMPLETED
                trainee.end_date = trainee.expected_end_date
                if trainee.hired_after is None:
                    self._hire(draft, rng.random() < draft.profile.hire_rate)
            elif rng.random() < 0.03:
                trainee.status = TraineeStatus.LEAVE

    def _random_reason(self, code: str) -> DropoutReason:
        weights = REASON_WEIGHTS.get(code, DEFAULT_REASON_WEIGHTS)
        return self.reasons[self.rng.choices(list(weights), list(weights.values()))[0]]

    def _phase_on(self, draft: Draft, day: datetime.date) -> Phase:
        if draft.schedule and day < draft.schedule[0][2]:
            return self.phases["basic"]
        for kind, number, start, end in draft.schedule:
            if start <= day <= end:
                return self.phases[f"{kind}-{number}"]
        kind, number, _, _ = draft.schedule[-1]
        return self.phases[f"{kind}-{number}"]

    def _hire(
        self,
        draft: Draft,
        hired: bool,
        department: Department | None = None,
        *,
        as_ssa_student: bool = False,
    ) -> None:
        trainee = draft.trainee
        trainee.hired_after = hired
        if not hired:
            return
        if as_ssa_student:
            trainee.hired_as_ssa_student = True
            return
        if department is None:
            if trainee.programme.code == "SSH" and self.rng.random() < 0.2:
                trainee.hired_as_ssa_student = True
                return
            department = trainee.department
        trainee.hired_into_department = department
        workplaces = self.workplaces[department.pk]
        if workplaces and self.rng.random() < 0.6:
            trainee.hired_into_workplace = self.rng.choice(workplaces)

    # --- writing ----------------------------------------------------------------------

    def write(self) -> tuple[int, int, int]:
        self.drafts.sort(key=lambda d: (d.trainee.start_date, d.trainee.programme.code))
        for number, draft in enumerate(self.drafts, start=1):
            trainee = draft.trainee
            trainee.hr_id = f"D{self.municipality.code}-{number:05d}"
            # bulk_create skips save(), which derives these two.
            trainee.start_year = trainee.start_date.year
            trainee.end_year = trainee.end_date.year if trainee.end_date else None
        Trainee.objects.bulk_create([d.trainee for d in self.drafts], batch_size=500)
        placements = [p for d in self.drafts for p in self._placements(d)]
        Placement.objects.bulk_create(placements, batch_size=1000)
        absences = [a for d in self.drafts if d.profile.employed for a in self._absences(d)]
        self.adjust_absences(absences)
        Absence.objects.bulk_create(absences, batch_size=1000)
        return len(self.drafts), len(placements), len(absences)

    def _placements(self, draft: Draft) -> list[Placement]:
        trainee, result = draft.trainee, []
        last_day = trainee.end_date if trainee.status == TraineeStatus.DROPPED_OUT else None
        for kind, number, start, end in draft.schedule:
            if last_day is not None and start > last_day:
                break
            workplace = supervisor = None
            if kind == T:
                workplace = self._training_workplace(trainee)
                candidates = self.supervisors.get(workplace.pk, []) if workplace else []
                if end >= TODAY:  # a current or planned period needs an active supervisor
                    candidates = [c for c in candidates if c.is_active] or candidates
                supervisor = self.rng.choice(candidates) if candidates else None
            result.append(
                Placement(
                    municipality_id=self.municipality.pk,
                    trainee_id=trainee.pk,
                    period_number=number,
                    kind=kind,
                    workplace_id=workplace.pk if workplace else None,
                    supervisor_id=supervisor.pk if supervisor else None,
                    start_date=start,
                    end_date=min(end, last_day) if last_day else end,
                )
            )
        return result

    def _training_workplace(self, trainee: Trainee) -> Workplace | None:
        department = trainee.department
        # SOSU students rotate between the elder-care departments of Frederikssund.
        if self.municipality.code == 250 and self.rng.random() < 0.4:
            department = self.departments[self.rng.choice(FREDERIKSSUND_DEPARTMENTS)]
        workplaces = self.workplaces[department.pk]
        kinds = TRAINING_PLACES.get(trainee.programme.code, ())
        suitable = [w for w in workplaces if w.kind in kinds] or workplaces
        return self.rng.choice(suitable) if suitable else None

    def _absences(self, draft: Draft) -> list[Absence]:
        trainee, rng, result = draft.trainee, self.rng, []
        last = min(trainee.end_date or trainee.expected_end_date, TODAY)
        month = trainee.start_date.replace(day=1)
        while month <= last:
            planned = Decimal(rng.randint(15, 22))
            roll = rng.random()
            if roll < 0.55:
                sick = 0
            elif roll < 0.93:
                sick = rng.randint(1, 4)
            else:
                sick = rng.randint(5, 15)
            result.append(
                Absence(
                    municipality_id=self.municipality.pk,
                    trainee_id=trainee.pk,
                    month=month,
                    year=month.year,  # bulk_create skips save()
                    sick_days=min(Decimal(sick), planned),
                    planned_days=planned,
                )
            )
            month = _add_months(month, 1)
        return result

    def adjust_absences(self, absences: list[Absence]) -> None:
        """Hook for seed figures on absence (Frederikssund overrides it)."""


class FrederikssundGenerator(Generator):
    """Frederikssund's SOSU population, pinned to the figures of shared/seeds/003."""

    def build(self) -> None:
        rng = self.rng
        for code, by_year in FREDERIKSSUND_STARTED.items():
            for year, count in by_year.items():
                self.add_cohort(code, year, count, FREDERIKSSUND_DEPARTMENTS)
        for (code, year), (completed, dropped, hired) in FREDERIKSSUND_COHORTS.items():
            cohort = self._cohort(code, year)
            assert len(cohort) == completed + dropped
            rng.shuffle(cohort)
            for draft in cohort[:dropped]:
                self.drop_out(draft, self._dropout_date(draft))
            hires = [dept for dept, n in hired.items() for _ in range(n)]
            for i, draft in enumerate(cohort[dropped:]):
                draft.trainee.status, draft.trainee.end_date = TraineeStatus.ACTIVE, None
                if i < len(hires):
                    name = hires[i]
                    department = self.departments[name] if name else None
                    self._hire(draft, True, department, as_ssa_student=name is None)
                else:
                    self._hire(draft, False)
        self._pin_dropouts_2023()
        self._pin_recruitment_2023()
        for draft in self.drafts:
            if draft.trainee.start_date >= datetime.date(2023, 1, 1) or (
                draft.trainee.end_date is None and draft.window_end >= datetime.date(2023, 1, 1)
            ):
                draft.trainee.personal_guide = rng.choice(GUIDES)

    def _cohort(self, code: str, year: int) -> list[Draft]:
        return [
            d
            for d in self.drafts
            if d.trainee.programme.code == code and d.trainee.start_date.year == year
        ]

    def _pin_dropouts_2023(self) -> None:
        """Exactly Bilag 2's dropouts in 2023, by reason; other dropouts fall outside 2023."""
        rng = self.rng
        first, last = datetime.date(2023, 1, 1), datetime.date(2023, 12, 31)
        pinned = set(FREDERIKSSUND_COHORTS)
        for code, by_reason in FREDERIKSSUND_DROPOUTS_2023.items():
            wanted = sum(by_reason.values())

            def reaches_2023(d):
                return d.trainee.start_date <= last and d.window_end >= first

            drafts = [d for d in self.drafts if d.trainee.programme.code == code]
            eligible = [
                d
                for d in drafts
                if d.trainee.status == TraineeStatus.DROPPED_OUT and reaches_2023(d)
            ]
            spare = [
                d
                for d in drafts
                if d.trainee.status != TraineeStatus.DROPPED_OUT
                and reaches_2023(d)
                and (code, d.trainee.start_date.year) not in pinned
            ]
            rng.shuffle(spare)
            eligible += spare[: max(0, wanted - len(eligible))]
            rng.shuffle(eligible)
            reasons = [r for r, n in by_reason.items() for _ in range(n)]
            rng.shuffle(reasons)
            for draft, reason in zip(eligible[:wanted], reasons, strict=True):
                lo = max(first, draft.trainee.start_date)
                hi = min(last, draft.window_end)
                day = lo + datetime.timedelta(days=rng.randint(0, (hi - lo).days))
                self.drop_out(draft, day)
                draft.trainee.dropout_reason = self.reasons[reason]
            for draft in eligible[wanted:]:
                self.drop_out(draft, self._date_outside(draft, first, last))

    def _date_outside(self, draft: Draft, first, last) -> datetime.date:
        for _ in range(50):
            day = self._dropout_date(draft)
            if not first <= day <= last:
                return day
        start = draft.trainee.start_date
        return start if start < first else last + datetime.timedelta(days=1)

    def _pin_recruitment_2023(self) -> None:
        for code, wanted in FREDERIKSSUND_INTERNAL_2023.items():
            cohort = self._cohort(code, 2023)
            for draft in cohort:
                draft.trainee.recruitment = Recruitment.EXTERNAL
            labels = [value for value, n in wanted.items() for _ in range(n)]
            for draft, value in zip(self.rng.sample(cohort, len(labels)), labels, strict=True):
                draft.trainee.recruitment = value

    def adjust_absences(self, absences: list[Absence]) -> None:
        """Scale 2023's sick days so Σ sick ÷ Σ planned is 8.64 % (seed 003, "Trivsel")."""
        rows = [a for a in absences if a.year == 2023]
        planned = sum(a.planned_days for a in rows)
        target = (planned * FREDERIKSSUND_SICK_RATE_2023).quantize(Decimal("0.01"))
        raw = sum(a.sick_days for a in rows)
        for a in rows:
            scaled = (a.sick_days * target / raw * 2).quantize(Decimal(1)) / 2
            a.sick_days = min(a.planned_days, scaled)
        rest = target - sum(a.sick_days for a in rows)
        step = Decimal("0.5") if rest > 0 else Decimal("-0.5")
        for a in self.rng.sample(rows, len(rows)):
            if abs(rest) < Decimal("0.5"):
                break
            if 0 <= a.sick_days + step <= a.planned_days:
                a.sick_days += step
                rest -= step
        for a in rows:
            if 0 <= a.sick_days + rest <= a.planned_days:
                a.sick_days += rest
                break


def _quotas(municipality: Municipality) -> int:
    programmes = {p.code: p for p in Programme.objects.all()}
    rows = []
    if municipality.code == 219:
        for code, (low, high), _ in HILLEROD:
            for year in QUOTA_YEARS:
                if year < HILLEROD_FIRST_YEAR.get(code, 0):
                    continue
                rows.append((code, year, None, low, high, HILLEROD_NOTE))
    elif municipality.code == 250:
        for code, minimum in FREDERIKSSUND_QUOTA.items():
            for year in range(2021, 2027):
                rows.append((code, year, minimum, None, None, FREDERIKSSUND_QUOTA_NOTE))
    for code, year, minimum, low, high, note in rows:
        IntakeQuota.objects.update_or_create(
            municipality=municipality,
            programme=programmes[code],
            year=year,
            defaults={"minimum": minimum, "planned_min": low, "planned_max": high, "note": note},
        )
    return len(rows)


def _generator(municipality: Municipality, rng: random.Random) -> Generator:
    """The municipality's population in memory (supervisors first: placements need them)."""
    if municipality.code == 250:
        generator = FrederikssundGenerator(municipality, rng)
        generator.make_supervisors()
        generator.build()
        return generator
    specs = HILLEROD if municipality.code == 219 else OTHER_MUNICIPALITIES.get(municipality.code)
    generator = Generator(municipality, rng)
    generator.make_supervisors()
    for code, (low, high), departments in specs or []:
        for year in YEARS:
            if year >= HILLEROD_FIRST_YEAR.get(code, 0) or municipality.code != 219:
                generator.add_cohort(code, year, rng.randint(low, high), departments)
    return generator


def load_population(*, stdout) -> None:
    """Generate the demo population of every seed municipality that has no trainees yet."""
    started = time.perf_counter()
    for municipality in Municipality.objects.filter(code__in=[219, 165, 707, 250, 217]).order_by(
        "code"
    ):
        quotas = _quotas(municipality)
        if (
            Trainee.objects.filter(municipality=municipality).exists()
            or Supervisor.objects.filter(municipality=municipality).exists()
        ):
            stdout.write(
                f"{municipality.name}: har allerede elever eller vejledere, springes over\n"
            )
            continue
        rng = random.Random(f"{SEED}-{municipality.code}")
        with transaction.atomic():
            generator = _generator(municipality, rng)
            Supervisor.objects.bulk_create(generator.all_supervisors, batch_size=1000)
            generator.settle()
            trainees, placements, absences = generator.write()
        stdout.write(
            f"{municipality.name}: {trainees} elever, {placements} praktikperioder, "
            f"{absences} fraværsmåneder, {len(generator.all_supervisors)} vejledere, "
            f"{quotas} dimensioneringer\n"
        )
    stdout.write(f"Elevbestand indlæst på {time.perf_counter() - started:.1f} s\n")
