"""Demo answers to the placement survey: generated from the demo's finished training
placements (the same answers on every run), so the survey's results, the metric
`placement_welcomed_share` and Frederikssund's "taget godt imod" indicator show data."""

from __future__ import annotations

import datetime
import hashlib
import random

from django.db import transaction

from apps.demo.population_data import SEED, TODAY
from apps.organisation.models import Municipality
from apps.survey.choices import Welcome
from apps.survey.models import SurveyAnswer, SurveyLink
from apps.trainees.choices import PlacementKind
from apps.trainees.models import Placement

FIRST_SURVEY_YEAR = 2023  # the survey "started" then: placements ending earlier had none
RESPONSE_RATE = 0.7
COMMENT_RATE = 0.3
COMMENTS = (
    "Jeg blev taget rigtig godt imod af hele personalegruppen.",
    "Min vejleder havde altid tid til mine spørgsmål.",
    "De første uger var svære, fordi ingen vidste, at jeg kom.",
    "Jeg savnede faste vejledningssamtaler.",
    "Godt at have en fast vejleder, men vagtplanen passede ikke altid.",
    "Jeg lærte meget og fik lov at prøve mig selv af.",
    "Der var travlt, så vejledningen blev tit aflyst.",
    "Introduktionen var grundig, og jeg vidste, hvad der forventedes af mig.",
)


def _answer(placement, rng: random.Random, quality: float) -> SurveyAnswer:
    """One answer; `quality` (0–1) is the workplace's share of trainees who feel welcomed."""
    if rng.random() < quality:
        welcomed = Welcome.HIGH if rng.random() < 0.6 else Welcome.SOME
    else:
        welcomed = Welcome.NOT_REALLY if rng.random() < 0.7 else Welcome.NOT_AT_ALL
    good = welcomed in (Welcome.HIGH, Welcome.SOME)
    had_supervisor = rng.random() < (0.9 if good else 0.55)
    base = 4 if good and had_supervisor else 3 if good else 2
    satisfaction = max(1, min(5, base + rng.choice((-1, 0, 0, 1))))
    answered = min(placement.end_date + datetime.timedelta(days=rng.randint(1, 20)), TODAY)
    return SurveyAnswer(
        municipality_id=placement.municipality_id,
        workplace_id=placement.workplace_id,
        department_id=placement.workplace.department_id,
        programme_id=placement.trainee.programme_id,
        period_year=placement.end_date.year,
        period_month=placement.end_date.month,
        welcomed=welcomed,
        had_supervisor=had_supervisor,
        guidance_satisfaction=satisfaction,
        comment=rng.choice(COMMENTS) if rng.random() < COMMENT_RATE else "",
        answered_on=answered,
    )


def load_survey_answers(*, stdout) -> None:
    """Answers (and used links) for about 70 % of the finished training placements of each
    seed municipality that has none yet."""
    for municipality in Municipality.objects.filter(code__in=[219, 165, 707, 250, 217]).order_by(
        "code"
    ):
        if SurveyAnswer.objects.filter(municipality=municipality).exists():
            stdout.write(f"{municipality.name}: har allerede svar på praktikundersøgelsen\n")
            continue
        rng = random.Random(f"{SEED}-{municipality.code}-survey")
        placements = (
            Placement.objects.filter(
                municipality=municipality,
                kind=PlacementKind.TRAINING,
                workplace__isnull=False,
                end_date__lt=TODAY,
                end_date__year__gte=FIRST_SURVEY_YEAR,
            )
            .select_related("trainee", "workplace")
            .order_by("trainee__hr_id", "period_number")
        )
        quality: dict[int, float] = {}
        answers, links = [], []
        for placement in placements:
            if rng.random() >= RESPONSE_RATE:
                continue
            if placement.workplace_id not in quality:
                quality[placement.workplace_id] = rng.uniform(0.6, 0.95)
            answers.append(_answer(placement, rng, quality[placement.workplace_id]))
            # A used link whose token nobody knows: the placement counts as answered.
            secret = f"demo-{SEED}-{placement.trainee.hr_id}-{placement.period_number}"
            links.append(
                SurveyLink(
                    municipality_id=municipality.pk,
                    placement=placement,
                    token_hash=hashlib.sha256(secret.encode()).hexdigest(),
                    used=True,
                )
            )
        # Shuffled, so the order of the rows says nothing about the order of the links.
        rng.shuffle(answers)
        with transaction.atomic():
            SurveyLink.objects.bulk_create(links, batch_size=1000)
            SurveyAnswer.objects.bulk_create(answers, batch_size=1000)
        stdout.write(f"{municipality.name}: {len(answers)} svar på praktikundersøgelsen\n")
