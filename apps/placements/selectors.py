"""Conflicts of the placements in a period — those on record and those a plan would add.

Kinds (`ConflictKind`), each for the training placements overlapping the period:
- over_capacity: a workplace has more trainees of a programme than its capacity (only
  where capacity for the programme is recorded in the period);
- programme_not_taken: a trainee at a workplace that has capacity recorded in the period,
  but not for the trainee's programme;
- supervisor_over_max: a supervisor with more trainees than their own maximum
  (`Supervisor.max_trainees`), else the municipality's;
- supervisor_unqualified: a trainee whose supervisor has no formal qualification;
- no_qualified_supervisor: a workplace hosting trainees without any active qualified
  supervisor (the coverage KPI's rule, at least one);
- overlap: two placements (any kind) of one trainee overlap each other.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _

from apps.organisation.models import Workplace
from apps.placements.models import (
    DraftAssignment,
    DraftStatus,
    PlacementDraft,
    PlanningSettings,
    WorkplaceCapacity,
)
from apps.placements.planning import capacities, limit
from apps.supervisors.models import Supervisor
from apps.trainees.choices import PlacementKind
from apps.trainees.models import Placement, ProgrammePlacementStep, Trainee


class ConflictKind(models.TextChoices):
    OVER_CAPACITY = "over_capacity", _("Arbejdspladsen har flere elever end pladser")
    PROGRAMME_NOT_TAKEN = "programme_not_taken", _("Arbejdspladsen tager ikke uddannelsen")
    SUPERVISOR_OVER_MAX = "supervisor_over_max", _("Vejlederen har for mange elever")
    SUPERVISOR_UNQUALIFIED = "supervisor_unqualified", _("Vejlederen er ikke uddannet vejleder")
    NO_QUALIFIED_SUPERVISOR = (
        "no_qualified_supervisor",
        _("Arbejdspladsen har elever, men ingen uddannet vejleder"),
    )
    OVERLAP = "overlap", _("Elevens praktikperioder overlapper")


@dataclass(frozen=True)
class Conflict:
    kind: str
    workplace: int | None = None
    supervisor: int | None = None
    trainee: int | None = None


def period_conflicts(municipality_id: int, start, end, extra=()) -> list[Conflict]:
    """Every conflict of the municipality's placements overlapping [start, end]; `extra`
    are unsaved placements (a plan's) counted as if they were on record."""
    placements = [
        *extra,
        *(
            Placement.objects.filter(
                municipality_id=municipality_id, start_date__lte=end, end_date__gte=start
            )
            .select_related("trainee__programme", "supervisor__qualification")
            .order_by("trainee_id", "start_date", "pk")
        ),
    ]
    training = [p for p in placements if p.kind == PlacementKind.TRAINING]
    found: list[Conflict] = []
    places = capacities(municipality_id, start, end)
    recorded = {w for w, _code in places}
    hosted = defaultdict(list)
    for p in training:
        if p.workplace_id is None:
            continue
        hosted[p.workplace_id, p.trainee.programme.code].append(p)
        if p.workplace_id in recorded and (p.workplace_id, p.trainee.programme.code) not in places:
            found.append(
                Conflict(ConflictKind.PROGRAMME_NOT_TAKEN, p.workplace_id, None, p.trainee_id)
            )
    for (wid, code), rows in sorted(hosted.items()):
        if (wid, code) in places and len(rows) > places[wid, code]:
            found.append(Conflict(ConflictKind.OVER_CAPACITY, wid))
    maximum = PlanningSettings.max_trainees_for(municipality_id)
    by_supervisor = defaultdict(list)
    for p in training:
        if p.supervisor_id is None:
            continue
        by_supervisor[p.supervisor_id].append(p)
        if not (
            p.supervisor.is_active
            and p.supervisor.qualification
            and p.supervisor.qualification.is_formal
        ):
            found.append(
                Conflict(
                    ConflictKind.SUPERVISOR_UNQUALIFIED,
                    p.workplace_id,
                    p.supervisor_id,
                    p.trainee_id,
                )
            )
    for sid, rows in sorted(by_supervisor.items()):
        if len(rows) > limit(rows[0].supervisor, maximum):
            found.append(Conflict(ConflictKind.SUPERVISOR_OVER_MAX, rows[0].workplace_id, sid))
    hosting = sorted({p.workplace_id for p in training if p.workplace_id})
    covered = set(
        Supervisor.objects.filter(workplace_id__in=hosting)
        .active()
        .qualified()
        .values_list("workplace_id", flat=True)
    )
    found += [
        Conflict(ConflictKind.NO_QUALIFIED_SUPERVISOR, w) for w in hosting if w not in covered
    ]
    found += _overlaps(municipality_id, {p.trainee_id for p in placements}, extra)
    return found


def _overlaps(municipality_id: int, trainee_ids, extra) -> list[Conflict]:
    by_trainee = defaultdict(list)
    rows = Placement.objects.filter(municipality_id=municipality_id, trainee_id__in=trainee_ids)
    for p in [*rows.order_by("trainee_id", "start_date", "pk"), *extra]:
        by_trainee[p.trainee_id].append(p)
    found = []
    for tid, rows in sorted(by_trainee.items()):
        for i, a in enumerate(rows):
            for b in rows[i + 1 :]:
                if b.start_date <= a.end_date and a.start_date <= b.end_date:
                    found.append(Conflict(ConflictKind.OVERLAP, b.workplace_id, None, tid))
    return found


def trainee_sequence(trainee) -> list[dict]:
    """The programme's training steps with "done" (a training period with the step's number
    is on record) and "next" (the first step not done)."""
    done = set(
        Placement.objects.filter(trainee=trainee, kind=PlacementKind.TRAINING).values_list(
            "period_number", flat=True
        )
    )
    steps = ProgrammePlacementStep.objects.filter(
        programme_id=trainee.programme_id, kind=PlacementKind.TRAINING
    ).order_by("number")
    rows, next_found = [], False
    for step in steps:
        is_done = step.number in done
        is_next = not is_done and not next_found
        next_found = next_found or is_next
        rows.append({"step": step, "done": is_done, "next": is_next})
    return rows


# --- The planning page and the department dashboard -------------------------------------


def planning_period(municipality_id: int, today, *, current_first: bool = False):
    """(start, end) of the planning period to show: the next period with capacity rows that
    starts after `today` (or, with `current_first`, the one holding today first); falls
    back to the other; None when the municipality has no capacity from today on."""
    periods = list(
        WorkplaceCapacity.objects.filter(municipality_id=municipality_id, end_date__gte=today)
        .order_by("start_date", "end_date")
        .values_list("start_date", "end_date")
        .distinct()
    )
    current = [p for p in periods if p[0] <= today]
    upcoming = [p for p in periods if p[0] > today]
    order = (current, upcoming) if current_first else (upcoming, current)
    for candidates in order:
        if candidates:
            return candidates[0]
    return None


def draft_placements(rows, draft) -> list[Placement]:
    """The draft's lines with a workplace as unsaved placements (for `period_conflicts`);
    the rows need `trainee__programme` and `supervisor__qualification` loaded."""
    return [
        Placement(
            municipality_id=draft.municipality_id,
            trainee=r.trainee,
            kind=PlacementKind.TRAINING,
            period_number=1,
            workplace=r.workplace,
            supervisor=r.supervisor,
            start_date=draft.start_date,
            end_date=draft.end_date,
        )
        for r in rows
        if r.workplace_id
    ]


@dataclass(frozen=True)
class ConflictLine:
    kind: str
    label: str
    workplace: str
    supervisor: str
    trainee: str


def conflict_lines(conflicts: list[Conflict]) -> list[ConflictLine]:
    """Conflicts with names (three queries whatever their number)."""
    wp_ids = {c.workplace for c in conflicts if c.workplace}
    sup_ids = {c.supervisor for c in conflicts if c.supervisor}
    tr_ids = {c.trainee for c in conflicts if c.trainee}
    workplaces = dict(Workplace.objects.filter(pk__in=wp_ids).values_list("pk", "name"))
    supervisors = dict(Supervisor.objects.filter(pk__in=sup_ids).values_list("pk", "name"))
    trainees = {
        pk: f"{first} {last}".strip() or hr_id
        for pk, first, last, hr_id in Trainee.objects.filter(pk__in=tr_ids).values_list(
            "pk", "first_name", "last_name", "hr_id"
        )
    }
    return [
        ConflictLine(
            str(c.kind),
            str(ConflictKind(c.kind).label),
            workplaces.get(c.workplace, ""),
            supervisors.get(c.supervisor, ""),
            trainees.get(c.trainee, ""),
        )
        for c in conflicts
    ]


@dataclass
class DraftPage:
    start: object
    end: object
    draft: PlacementDraft | None
    rows: list[DraftAssignment]
    workplaces: list[Workplace]
    supervisor_groups: list[tuple[Workplace, list[Supervisor]]]
    conflicts: list[ConflictLine]

    @property
    def assigned(self) -> list[DraftAssignment]:
        return [r for r in self.rows if r.workplace_id]

    @property
    def unassigned(self) -> list[DraftAssignment]:
        return [r for r in self.rows if not r.workplace_id]


def draft_page(*, scope, start, end) -> DraftPage:
    """Everything the planning page shows for [start, end] in the scope's municipality: its
    open draft (if any) with the choices for moving a trainee (workplaces with capacity in
    the period, their active supervisors), and the period's conflicts with the draft's
    placements counted. A fixed number of queries, whatever the number of rows."""
    municipality_id = scope.municipality_id
    draft = (
        PlacementDraft.objects.in_scope(scope)
        .filter(start_date=start, end_date=end, status=DraftStatus.DRAFT)
        .first()
    )
    rows = []
    if draft is not None:
        rows = list(
            DraftAssignment.objects.filter(draft=draft)
            .select_related(
                "trainee__programme",
                "trainee__department",
                "workplace",
                "supervisor__qualification",
            )
            .order_by("trainee__last_name", "trainee__first_name", "trainee__hr_id")
        )
    with_capacity = WorkplaceCapacity.objects.filter(municipality_id=municipality_id).overlapping(
        start, end
    )
    workplaces = list(
        Workplace.objects.in_scope(scope)
        .filter(
            models.Q(pk__in=with_capacity.values("workplace_id"))
            | models.Q(pk__in=[r.workplace_id for r in rows if r.workplace_id])
        )
        .order_by("name", "pk")
    )
    by_workplace = defaultdict(list)
    for s in (
        Supervisor.objects.filter(municipality_id=municipality_id, workplace__in=workplaces)
        .active()
        .order_by("name", "pk")
    ):
        by_workplace[s.workplace_id].append(s)
    conflicts = period_conflicts(municipality_id, start, end, extra=draft_placements(rows, draft))
    return DraftPage(
        start,
        end,
        draft,
        rows,
        workplaces,
        [(w, by_workplace[w.pk]) for w in workplaces if by_workplace[w.pk]],
        conflict_lines(conflicts),
    )


def department_conflict_count(*, department, today):
    """((start, end), count) of the conflicts on record in the department's current (else
    next) planning period that concern its workplaces; None when there is no period."""
    period = planning_period(department.municipality_id, today, current_first=True)
    if period is None:
        return None
    own = set(Workplace.objects.filter(department=department).values_list("pk", flat=True))
    conflicts = period_conflicts(department.municipality_id, *period)
    return period, sum(1 for c in conflicts if c.workplace in own)
