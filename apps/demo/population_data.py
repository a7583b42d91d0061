"""What the demo population is generated from: the seed documents' figures, programme
profiles, name lists and weights. Pure data; the generator is in `apps.demo.generator`."""

from __future__ import annotations

import datetime
import itertools
from dataclasses import dataclass
from decimal import Decimal

from apps.trainees.choices import PlacementKind, Recruitment

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
SURNAME_CUMULATIVE = tuple(itertools.accumulate(SURNAME_WEIGHTS.values()))

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
