"""From the database to a plan: which trainees need a placement in a period, the solver's
problem built from capacity, supervisors and the placements on record, and the plan.

Needs: an active trainee of the municipality who has started by the end of the period,
has not ended (or is not expected to end) before it starts, has no placement (training or
school) overlapping the period, and either
- has a next step in their programme's placement sequence: fewer training periods on
  record than the programme has training steps (`ProgrammePlacementStep`; SSA 6, SSH 2);
  a programme without a sequence keeps the general rule, fewer than six (the most
  `Placement` allows); or
- was added by hand for dates overlapping the period (`ManualNeed`), even when the
  sequence is complete or the expected end date has passed.
Each needing trainee carries why: `need_step` (the next step's name, e.g.
"Oplæringsperiode 3", None when the sequence is complete) and `need_note` (the manual
need's note, None without one); `need_reason(trainee)` gives the note first, else the step.

Capacity in a period: the rows of a workplace and programme that overlap the period; when
several do, the smallest number of places counts. Free places are that minus the training
placements already on record at the workplace for trainees of the programme overlapping
the period. A supervisor's room: their own maximum (`Supervisor.max_trainees`), else the
municipality's (`PlanningSettings`), minus their placements overlapping the period;
only active supervisors with a workplace take trainees.
Qualified: active with a formal qualification (`Supervisor.objects.qualified()`, the rule
the trained-supervisor and coverage KPIs count).
"""

from __future__ import annotations

import datetime
from collections import Counter, defaultdict
from dataclasses import dataclass

from django.db.models import Count, F, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from apps.organisation.models import Workplace
from apps.placements.models import (
    ManualNeed,
    PlacementWish,
    PlanningSettings,
    WorkplaceCapacity,
)
from apps.placements.solver import Problem, Solution, SupervisorIn, TraineeIn, WorkplaceIn, solve
from apps.supervisors.models import Supervisor
from apps.trainees.choices import PlacementKind
from apps.trainees.models import Placement, ProgrammePlacementStep, Trainee

MAX_PERIODS = 6


def needing_trainees(municipality_id: int, start: datetime.date, end: datetime.date):
    """The trainees who need a placement in [start, end] (rule in the module docstring)."""
    overlapping = Placement.objects.filter(
        municipality_id=municipality_id, start_date__lte=end, end_date__gte=start
    ).values("trainee_id")
    manual = ManualNeed.objects.filter(
        municipality_id=municipality_id, trainee_id=OuterRef("pk")
    ).overlapping(start, end)
    steps = ProgrammePlacementStep.objects.filter(
        programme_id=OuterRef("programme_id"), kind=PlacementKind.TRAINING
    )
    on_record = (
        Placement.objects.filter(trainee_id=OuterRef("pk"), kind=PlacementKind.TRAINING)
        .values("trainee_id")
        .annotate(n=Count("pk"))
        .values("n")
    )
    step_count = steps.values("programme_id").annotate(n=Count("pk")).values("n")
    return (
        Trainee.objects.filter(municipality_id=municipality_id)
        .active()
        .filter(start_date__lte=end)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=start))
        .exclude(pk__in=overlapping)
        .annotate(
            training_periods=Coalesce(Subquery(on_record), 0),
            sequence_steps=Coalesce(Subquery(step_count), 0),
            need_note=Subquery(manual.order_by("start_date", "pk").values("note")[:1]),
        )
        .annotate(
            need_step=Subquery(
                steps.filter(number__gt=OuterRef("training_periods"))
                .order_by("number")
                .values("name")[:1]
            )
        )
        .filter(
            Q(need_note__isnull=False)
            | (
                (Q(expected_end_date__isnull=True) | Q(expected_end_date__gte=start))
                & (
                    Q(sequence_steps__gt=0, training_periods__lt=F("sequence_steps"))
                    | Q(sequence_steps=0, training_periods__lt=MAX_PERIODS)
                )
            )
        )
        .select_related("programme")
        .order_by("pk")
    )


def need_reason(trainee) -> str:
    """Why a needing trainee needs a placement: the manual need's note, else the next step
    of the programme's sequence, else "Oplæringsperiode N" after the periods on record."""
    if trainee.need_note:
        return trainee.need_note
    if trainee.need_step:
        return trainee.need_step
    return _("Oplæringsperiode %(number)s") % {"number": trainee.training_periods + 1}


@dataclass
class Plan:
    start: datetime.date
    end: datetime.date
    trainees: dict[int, Trainee]
    workplaces: dict[int, object]
    supervisors: dict[int, Supervisor]
    solution: Solution


def capacities(municipality_id: int, start, end) -> dict[tuple[int, str], int]:
    """{(workplace id, programme code): places} in the period (the smallest overlapping row)."""
    places: dict[tuple[int, str], int] = {}
    rows = WorkplaceCapacity.objects.filter(municipality_id=municipality_id).overlapping(start, end)
    for workplace_id, code, n in rows.values_list("workplace_id", "programme__code", "places"):
        key = (workplace_id, code)
        places[key] = min(places.get(key, n), n)
    return places


def limit(supervisor: Supervisor, default: int) -> int:
    """How many trainees the supervisor may have at once: their own maximum, else `default`
    (the municipality's)."""
    own = supervisor.max_trainees
    return default if own is None else own


def build_problem(municipality_id: int, start, end):
    """The solver's problem for the period, with the model objects its ids point to."""
    trainees = {t.pk: t for t in needing_trainees(municipality_id, start, end)}
    visited = defaultdict(set)
    for trainee_id, workplace_id in Placement.objects.filter(
        trainee_id__in=list(trainees), workplace__isnull=False
    ).values_list("trainee_id", "workplace_id"):
        visited[trainee_id].add(workplace_id)
    wishes = defaultdict(list)
    for trainee_id, workplace_id, rank in PlacementWish.objects.filter(
        trainee_id__in=list(trainees)
    ).values_list("trainee_id", "workplace_id", "rank"):
        wishes[trainee_id].append((workplace_id, rank))
    places = capacities(municipality_id, start, end)
    existing = Placement.objects.filter(
        municipality_id=municipality_id,
        kind=PlacementKind.TRAINING,
        start_date__lte=end,
        end_date__gte=start,
    )
    taken = Counter(
        existing.filter(workplace__isnull=False).values_list(
            "workplace_id", "trainee__programme__code"
        )
    )
    busy = Counter(
        existing.filter(supervisor__isnull=False).values_list("supervisor_id", flat=True)
    )
    maximum = PlanningSettings.max_trainees_for(municipality_id)
    supervisors = {
        s.pk: s
        for s in Supervisor.objects.filter(municipality_id=municipality_id, workplace__isnull=False)
        .active()
        .select_related("workplace", "qualification")
    }
    qualified = set(
        Supervisor.objects.filter(pk__in=list(supervisors)).qualified().values_list("pk", flat=True)
    )
    workplace_ids = {w for w, _code in places}
    workplaces = {w.pk: w for w in Workplace.objects.filter(pk__in=workplace_ids)}
    problem = Problem(
        trainees=[
            TraineeIn(
                t.pk,
                t.programme.code,
                t.department_id,
                frozenset(visited[t.pk]),
                tuple(sorted(wishes[t.pk])),
            )
            for t in trainees.values()
        ],
        workplaces=[
            WorkplaceIn(
                w.pk,
                w.department_id,
                {code: n for (wid, code), n in places.items() if wid == w.pk},
                {
                    code: max(0, n - taken[wid, code])
                    for (wid, code), n in places.items()
                    if wid == w.pk
                },
            )
            for w in workplaces.values()
        ],
        supervisors=[
            SupervisorIn(
                s.pk, s.workplace_id, s.pk in qualified, max(0, limit(s, maximum) - busy[s.pk])
            )
            for s in supervisors.values()
        ],
    )
    return problem, trainees, workplaces, supervisors


def make_plan(municipality_id: int, start, end) -> Plan:
    """A proposed plan for the period (nothing is written)."""
    problem, trainees, workplaces, supervisors = build_problem(municipality_id, start, end)
    return Plan(start, end, trainees, workplaces, supervisors, solve(problem))


def planned_placements(plan: Plan, municipality_id: int) -> list[Placement]:
    """The plan's placements, unsaved (period numbers are set when they are written)."""
    return [
        Placement(
            municipality_id=municipality_id,
            trainee=plan.trainees[a.trainee],
            kind=PlacementKind.TRAINING,
            period_number=1,
            workplace_id=a.workplace,
            supervisor=plan.supervisors.get(a.supervisor),
            start_date=plan.start,
            end_date=plan.end,
        )
        for a in plan.solution.assignments
    ]
