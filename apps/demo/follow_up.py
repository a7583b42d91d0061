"""The demo strategies' follow-up state: owners, follow-up dates, statuses and status notes.

What a coordinator's strategy looks like some months into the follow-up cycle, planned
deterministically (the same files and users give the same plan) for `manage.py load_demo`.
The goals' wording and the initiatives' document statuses stay the documents' own; the
owners' statuses and notes are the demo's, recorded as StatusUpdates like any other follow-up.
"""

from __future__ import annotations

import datetime
from itertools import cycle

from django.contrib.auth import get_user_model
from django.utils import timezone

from apps.strategy.choices import GoalStatus, InitiativeStatus
from apps.strategy.models import Goal, Initiative, StatusUpdate, Strategy

# Days from the load date to each follow-up date, taken in turn: spread over the coming year,
# with some already overdue and some due within the 30 days the follow-up list looks ahead,
# so every coordinator's start page has something on it whenever the demo is loaded.
FOLLOW_UP_OFFSETS = (-21, 12, 200, 75, 140, 320, 260, -9, 45, 350, 100, 170, 27, 230, 290, 60)

# The owners' own statuses for goals the document leaves "Ikke startet", in turn, each with
# the note its owner wrote (None: no note yet). Eight steps, so a municipality with a handful
# of goals still gets most of them.
GOAL_STEPS: tuple[tuple[str, str | None], ...] = (
    (
        GoalStatus.IN_PROGRESS,
        "Drøftet på teammødet. Arbejdet er i gang på de fleste arbejdspladser; to mangler "
        "endnu en plan. Vi følger op med tal fra HR ved næste opfølgning.",
    ),
    (GoalStatus.NOT_STARTED, None),
    (
        GoalStatus.ON_TRACK,
        "Følger planen. Arbejdspladserne har taget det ind i hverdagen, og første "
        "evaluering med elever og studerende er positiv.",
    ),
    (
        GoalStatus.BEHIND,
        "Bagud: travlhed og vakante stillinger har udskudt arbejdet på flere arbejdspladser. "
        "Vi lægger en ny tidsplan på næste ledermøde.",
    ),
    (GoalStatus.IN_PROGRESS, None),
    (
        GoalStatus.NOT_STARTED,
        "Ikke startet endnu: sat på dagsordenen for ledermødet i næste kvartal, når "
        "handleplanen for området er godkendt.",
    ),
    (
        GoalStatus.ACHIEVED,
        "Nået. Det er nu fast praksis på alle arbejdspladser; vi holder fast i det og følger "
        "op ved næste elev- og vejlederevaluering.",
    ),
    (
        GoalStatus.IN_PROGRESS,
        "Første aftaler er på plads. Næste skridt er at samle erfaringer fra vejledere og "
        "elever og dele dem i ledergruppen.",
    ),
)

# Where a goal's wording names its subject, its owner's note for these statuses says more.
TOPIC_NOTES: tuple[tuple[str, str, str], ...] = (
    (
        "vejled",
        GoalStatus.BEHIND,
        "Bagud: to vejledere er stoppet, og næste hold på vejlederuddannelsen starter først "
        "efter sommerferien. Vi drøfter en midlertidig løsning på ledermødet.",
    ),
    (
        "vejled",
        GoalStatus.ON_TRACK,
        "Følger planen. Vejlederne melder om bedre tid til eleverne efter den nye "
        "mødestruktur, og første evaluering er positiv.",
    ),
    (
        "frafald",
        GoalStatus.IN_PROGRESS,
        "Første aftaler er på plads. Vi afventer ny opgørelse af frafald fra "
        "uddannelsesinstitutionen og gennemgår den med de personlige vejledere.",
    ),
    (
        "intro",
        GoalStatus.ACHIEVED,
        "Nået. Introforløbet er nu fast for alle nye elever og studerende; vi holder fast i "
        "det og måler igen ved næste elevevaluering.",
    ),
)

# Initiatives the documents only propose (idé, forslag) have moved on since; in turn.
PROPOSAL_STEPS: tuple[tuple[str, str] | None, ...] = (
    (
        InitiativeStatus.IN_PROGRESS,
        "I gang: arbejdsgruppen er nedsat og har holdt første møde. Et udkast præsenteres på "
        "næste ledermøde.",
    ),
    None,
    (
        InitiativeStatus.PLANNED,
        "Godkendt i direktionen; opstart er planlagt til næste kvartal med deltagere fra de "
        "berørte områder.",
    ),
    (
        InitiativeStatus.AWAITING,
        "Afventer budgetforhandlingerne: indsatsen kræver midler, der endnu ikke er afsat.",
    ),
)
# Initiatives with a document status keep it; every fourth gets its owner's note.
KEPT_NOTES = (
    "Status drøftet på ledermødet; indsatsen fortsætter som beskrevet, og erfaringerne samles "
    "til årets evaluering.",
    "Evaluering af indsatsen er bestilt hos uddannelsesteamet; resultatet ventes inden "
    "årets udgang.",
)


def plan_follow_up(strategy: Strategy, *, today: datetime.date | None = None) -> None:
    """Give the demo strategy's goals and initiatives owners, follow-up dates, statuses and
    status notes, deterministically.

    Owners are the municipality's demo people who can own a goal: a leader of the item's
    department if there is one, else the coordinator and HR in turn (none when the
    municipality has no such users). Dates run through FOLLOW_UP_OFFSETS from `today` (the
    load date); statuses and notes through GOAL_STEPS and PROPOSAL_STEPS.
    """
    today = today or timezone.localdate()
    people = list(
        get_user_model()
        .objects.filter(
            municipality_id=strategy.municipality_id,
            is_active=True,
            role__in=("coordinator", "leader", "hr"),
        )
        .prefetch_related("departments")
        .order_by("username")
    )
    leaders = {d.pk: u for u in people if u.role == "leader" for d in u.departments.all()}
    shared = [u for role in ("coordinator", "hr") for u in people if u.role == role] or [None]
    offsets = cycle(FOLLOW_UP_OFFSETS)
    goals = list(
        Goal.objects.filter(focus_area__strategy=strategy).order_by(
            "focus_area__order", "order", "id"
        )
    )
    initiatives = list(Initiative.objects.filter(strategy=strategy).order_by("order", "id"))
    updates = []
    for index, item in enumerate([*goals, *initiatives]):
        item.owner = leaders.get(item.department_id) or shared[index % len(shared)]
        item.follow_up_on = today + datetime.timedelta(days=next(offsets))
    goal_steps, proposal_steps, kept_notes = cycle(GOAL_STEPS), cycle(PROPOSAL_STEPS), 0
    for goal in goals:
        status, note = next(goal_steps)
        if goal.status != GoalStatus.NOT_STARTED:
            continue  # the document's own status stands, without a note meant for another
        goal.status = status
        if note:
            note = _topic_note(goal.text, status) or note
            updates.append(_update(strategy, note, status, goal.owner, goal=goal))
    for index, initiative in enumerate(initiatives):
        if initiative.status in (InitiativeStatus.IDEA, InitiativeStatus.PROPOSAL):
            step = next(proposal_steps)
            if step:
                initiative.status, note = step
                updates.append(_update(strategy, note, step[0], initiative.owner, initiative))
        elif index % 4 == 0:
            note = KEPT_NOTES[kept_notes % len(KEPT_NOTES)]
            kept_notes += 1
            updates.append(_update(strategy, note, initiative.status, initiative.owner, initiative))
    Goal.objects.bulk_update(goals, ["owner", "follow_up_on", "status"])
    Initiative.objects.bulk_update(initiatives, ["owner", "follow_up_on", "status"])
    StatusUpdate.objects.bulk_create(updates)


def _topic_note(text: str, status: str) -> str | None:
    lowered = text.lower()
    return next((n for word, s, n in TOPIC_NOTES if s == status and word in lowered), None)


def _update(strategy, note, status, author, initiative=None, *, goal=None) -> StatusUpdate:
    return StatusUpdate(
        municipality_id=strategy.municipality_id,
        goal=goal,
        initiative=initiative,
        status=status,
        note=note,
        author=author,
    )
