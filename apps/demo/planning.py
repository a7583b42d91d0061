"""The demo's placement planning: capacity for the next half-year in Frederikssund and
Hillerød, and the intake that starts then and needs its first placement, so the planning
page (`/praktikplanlaegning/`) proposes a real plan.

The generated population's trainees already have placements for their whole course, so
they need none; the new intake does. A workplace's capacity is the placements it already
has in the period (per programme, so those give no conflict) plus the extra places below.
There are fewer extra places than new trainees of each programme, so the plan has both
placed and unplaced trainees. Reruns change nothing (the intake's HR ids are fixed)."""

from __future__ import annotations

import datetime
import random
from collections import Counter

from django.db import transaction
from django.utils import timezone

from apps.core.formatting import format_date
from apps.demo.population_data import FIRST_NAMES, SEED
from apps.organisation.models import Municipality, Workplace
from apps.placements.models import WorkplaceCapacity
from apps.trainees.choices import PlacementKind, Recruitment, TraineeStatus
from apps.trainees.models import Placement, Programme, Trainee

# municipality code → programme → (new trainees, {workplace name: extra places})
PLANNING = {
    250: {
        "SSA": (
            8,
            {"Døgnplejen Nord": 3, "Omsorgscenter Solgaven": 2, "Rehabiliteringscentret": 1},
        ),
        "SSH": (5, {"Omsorgscenter Falkenborg": 2, "De midlertidige pladser": 2}),
    },
    219: {
        "SSA": (
            6,
            {"Hjemmeplejen Øst": 2, "Plejecenter Bakkehuset": 2, "Plejecenter Skovhuset": 1},
        ),
        "SSH": (4, {"Sygeplejen Hillerød": 2, "Træning og Rehabilitering": 1}),
        "PAU": (4, {"Børnehuset Mariehønen": 2, "Børnehuset Solsikken": 1}),
    },
}
SURNAMES = ("Holm", "Krogh", "Lund", "Møller", "Nygaard", "Bach", "Dahl", "Friis", "Juhl")


def next_half_year(today: datetime.date) -> tuple[datetime.date, datetime.date]:
    """The half-year after the one holding `today`: 1 July – 31 December or 1 January –
    30 June of the next year."""
    if today.month <= 6:
        return datetime.date(today.year, 7, 1), datetime.date(today.year, 12, 31)
    return datetime.date(today.year + 1, 1, 1), datetime.date(today.year + 1, 6, 30)


def load_planning(*, stdout, today: datetime.date | None = None) -> int:
    """Capacity and the new intake for the next half-year; returns the new trainees."""
    start, end = next_half_year(today or timezone.localdate())
    programmes = {p.code: p for p in Programme.objects.all()}
    added = 0
    for municipality in Municipality.objects.filter(code__in=PLANNING).order_by("code"):
        with transaction.atomic():
            added += _load(municipality, start, end, programmes)
    stdout.write(
        f"Praktikplanlægning {format_date(start)}–{format_date(end)}: "
        f"{added} nye elever mangler plads\n"
    )
    return added


def _load(municipality, start, end, programmes) -> int:
    workplaces = {
        w.name: w
        for w in Workplace.objects.filter(department__municipality=municipality).select_related(
            "department"
        )
    }
    taken = Counter(
        Placement.objects.filter(
            municipality=municipality,
            kind=PlacementKind.TRAINING,
            workplace__isnull=False,
            start_date__lte=end,
            end_date__gte=start,
        ).values_list("workplace_id", "trainee__programme__code")
    )
    places = Counter()
    for code, (_count, extra) in PLANNING[municipality.code].items():
        for name, n in extra.items():
            if name in workplaces:
                places[workplaces[name].pk, code] += n
    for (workplace_id, code), n in taken.items():
        if any(w.pk == workplace_id for w in workplaces.values()):
            places[workplace_id, code] += n
    for (workplace_id, code), n in sorted(places.items()):
        WorkplaceCapacity.objects.get_or_create(
            municipality=municipality,
            workplace_id=workplace_id,
            programme=programmes[code],
            start_date=start,
            end_date=end,
            defaults={"places": n},
        )
    rng = random.Random(f"{SEED}-planning-{municipality.code}")
    added = 0
    number = 90001
    for code, (count, extra) in PLANNING[municipality.code].items():
        home = next((workplaces[n].department for n in extra if n in workplaces), None)
        for _ in range(count):
            hr_id = f"D{municipality.code}-{number}"
            number += 1
            _trainee, created = Trainee.objects.get_or_create(
                municipality=municipality,
                hr_id=hr_id,
                defaults={
                    "first_name": rng.choice(FIRST_NAMES),
                    "last_name": rng.choice(SURNAMES),
                    "programme": programmes[code],
                    "department": home,
                    "start_date": start,
                    "expected_end_date": start + datetime.timedelta(days=2 * 365),
                    "status": TraineeStatus.ACTIVE,
                    "recruitment": Recruitment.EXTERNAL,
                },
            )
            added += created
    return added
