"""Load the five seed strategies (fixtures/demo/strategies/*.json) for `manage.py load_demo`.

Each JSON file holds one municipality's strategy, transcribed from its source document in
shared/seeds/. The format:

    {
      "_source": "shared/seeds/003_….txt (where in the document things come from)",
      "municipality": 250,                       # KL code; the file is skipped if it is missing
      "strategy": {
        "title": "…", "version_label": "…",     # together with the municipality: the identity
        "period_start": 2024, "period_end": 2027,  # optional (null when the document has none)
        "status": "draft" | "adopted",           # apps.strategy.choices.StrategyStatus
        "purpose": "…"
      },
      "focus_areas": [                           # order = position in the list (1, 2, …)
        {
          "title": "…", "description": "…",
          "kkr_theme": "supervisors" | "onboarding" | "leadership" | "quality" | null,
          "common_goals": ["…"],                 # fælles mål: Goal with department null
          "department_goals": {"Ældre og Sundhed": ["…"]},  # by Department name or alias
          "initiatives": [{…}]                   # initiatives under this focus area
        }
      ],
      "initiatives": [{…}]                       # initiatives of the strategy as a whole
    }

A goal is either a string (its text, verbatim from the document; status not_started) or
{"text": "…", "status": "<GoalStatus value>"}. An initiative object has the Initiative
fields reference, title, purpose, aim, actions, follow_up, baseline, budget_dkk (whole
kroner), budget_note, responsible, next_step, origin, status (InitiativeStatus value),
implemented_year and department (a Department name), all optional except a title, and
"goals": the goals of the strategy the initiative serves, each given by the start of its text
(which must match exactly one goal); instead
of "title" it may give "text", a whole bullet from the document: a one-sentence bullet becomes
the title; a longer one gives its first sentence as the title and the whole bullet as actions.
"status_text" keeps the document's own status words ("Implementeret primo 2023"); it is
stored as the initiative's first StatusUpdate note. Any text value may be a list of lines,
which are joined with newlines. Keys starting with "_" are comments.
"""

import json
import re
from pathlib import Path

from django.conf import settings
from django.db import transaction

from apps.demo.follow_up import plan_follow_up
from apps.organisation.models import Department, Municipality
from apps.strategy.choices import GoalStatus, InitiativeStatus, StrategyStatus
from apps.strategy.models import FocusArea, Goal, Initiative, KkrTheme, StatusUpdate, Strategy

STRATEGIES_DIR = Path(settings.BASE_DIR) / "fixtures" / "demo" / "strategies"

# A sentence ends with . ! or ? followed by a capital letter ("7. og 8. klasse" does not).
SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-ZÆØÅ\"“])")
TITLE_MAX = Initiative._meta.get_field("title").max_length

INITIATIVE_TEXT_FIELDS = (
    "reference",
    "purpose",
    "aim",
    "actions",
    "follow_up",
    "baseline",
    "budget_note",
    "responsible",
    "next_step",
    "origin",
)

INITIATIVE_KEYS = {
    *INITIATIVE_TEXT_FIELDS,
    "title",
    "text",
    "budget_dkk",
    "status",
    "status_text",
    "implemented_year",
    "department",
    "goals",
}

FOCUS_AREA_KEYS = {
    "title",
    "description",
    "kkr_theme",
    "common_goals",
    "department_goals",
    "initiatives",
}


class SeedError(ValueError):
    """A strategy file refers to something that does not exist or breaks the format."""


def _text(value) -> str:
    """Return a text value from the JSON: a string as is, a list of lines joined by newlines."""
    if value is None:
        return ""
    if isinstance(value, list):
        return "\n".join(value)
    return value


def _title_and_actions(text: str) -> tuple[str, str]:
    """Split a whole bullet into a title (its first sentence) and actions (the whole bullet,
    only when it has more than one sentence)."""
    text = text.strip()
    first = SENTENCE_END.split(text, maxsplit=1)[0]
    if first == text and len(text) <= TITLE_MAX:
        return text, ""
    if len(first) > TITLE_MAX:
        first = first[: TITLE_MAX - 1].rsplit(" ", 1)[0] + "…"
    return first, text


class _Loader:
    """Builds one municipality's strategy from its parsed JSON file."""

    def __init__(self, municipality: Municipality, data: dict):
        """Remember the municipality, its departments by every name, and the KKR themes."""
        self.municipality = municipality
        self.data = data
        self.departments: dict[str, Department] = {}
        for department in Department.objects.filter(municipality=municipality):
            for name in [department.name, *department.aliases]:
                self.departments[name.strip().lower()] = department
        self.themes = {theme.code: theme for theme in KkrTheme.objects.all()}
        self.counts = {"focus_areas": 0, "goals": 0, "initiatives": 0}
        self.goal_links: list[tuple[Initiative, list[str]]] = []

    def department(self, name: str | None) -> Department | None:
        """Return the municipality's department with that name or alias (None for None)."""
        if name is None:
            return None
        try:
            return self.departments[name.strip().lower()]
        except KeyError:
            raise SeedError(f"{self.municipality.name}: ukendt fagområde {name!r}") from None

    def load(self) -> Strategy:
        """Create the strategy with its focus areas, goals and initiatives."""
        s = self.data["strategy"]
        strategy = Strategy.objects.create(
            municipality=self.municipality,
            title=s["title"],
            version_label=s.get("version_label", ""),
            period_start=s.get("period_start"),
            period_end=s.get("period_end"),
            status=StrategyStatus(s["status"]),
            purpose=_text(s.get("purpose")),
        )
        order = 0
        for position, fa in enumerate(self.data.get("focus_areas", []), start=1):
            unknown = {k for k in fa if not k.startswith("_")} - FOCUS_AREA_KEYS
            if unknown:
                raise SeedError(f"{strategy}: ukendte felter {sorted(unknown)}")
            theme_code = fa.get("kkr_theme")
            if theme_code is not None and theme_code not in self.themes:
                raise SeedError(f"{self.municipality.name}: ukendt KKR-tema {theme_code!r}")
            focus_area = FocusArea.objects.create(
                strategy=strategy,
                order=position,
                title=fa["title"],
                description=_text(fa.get("description")),
                kkr_theme=self.themes.get(theme_code),
            )
            self.counts["focus_areas"] += 1
            self.goals(focus_area, fa)
            for item in fa.get("initiatives", []):
                order += 1
                self.initiative(strategy, focus_area, item, order)
        for item in self.data.get("initiatives", []):
            order += 1
            self.initiative(strategy, None, item, order)
        self.link_goals(strategy)
        return strategy

    def link_goals(self, strategy: Strategy) -> None:
        """Link each initiative to the goals its "goals" name (by the start of their text)."""
        goals = list(Goal.objects.filter(focus_area__strategy=strategy))
        for initiative, starts in self.goal_links:
            linked = []
            for start in starts:
                found = [g for g in goals if g.text.startswith(start)]
                if len(found) != 1:
                    raise SeedError(
                        f"{strategy}: {len(found)} målsætninger begynder med {start!r} "
                        f"(indsatsen {initiative.title!r})"
                    )
                linked.append(found[0])
            initiative.goals.set(linked)

    def goals(self, focus_area: FocusArea, fa: dict) -> None:
        """Create the focus area's common goals, then each department's goals, in order."""
        groups = [(None, fa.get("common_goals", []))]
        groups += list(fa.get("department_goals", {}).items())
        order = 0
        for department_name, goals in groups:
            department = self.department(department_name)
            for goal in goals:
                if isinstance(goal, str):
                    goal = {"text": goal}
                order += 1
                Goal.objects.create(
                    focus_area=focus_area,
                    department=department,
                    text=goal["text"],
                    status=GoalStatus(goal.get("status", GoalStatus.NOT_STARTED)),
                    order=order,
                )
                self.counts["goals"] += 1

    def initiative(
        self, strategy: Strategy, focus_area: FocusArea | None, item: dict, order: int
    ) -> Initiative:
        """Create one initiative (and its document status note, if it has one)."""
        unknown = {k for k in item if not k.startswith("_")} - INITIATIVE_KEYS
        if unknown:
            raise SeedError(f"{strategy}: ukendte felter {sorted(unknown)}")
        fields = {name: _text(item.get(name)) for name in INITIATIVE_TEXT_FIELDS}
        if "text" in item:
            title, actions = _title_and_actions(_text(item["text"]))
            if actions and fields["actions"]:
                raise SeedError(f"{strategy}: både 'text' og 'actions' i {title!r}")
            fields["actions"] = fields["actions"] or actions
        else:
            title = item["title"]
        initiative = Initiative(
            strategy=strategy,
            focus_area=focus_area,
            department=self.department(item.get("department")),
            title=title,
            budget_dkk=item.get("budget_dkk"),
            status=InitiativeStatus(item.get("status", InitiativeStatus.IDEA)),
            implemented_year=item.get("implemented_year"),
            order=order,
            **fields,
        )
        initiative.full_clean(exclude=["strategy", "focus_area", "department", "owner"])
        initiative.save()
        if item.get("status_text"):
            StatusUpdate.objects.create(
                municipality=self.municipality,
                initiative=initiative,
                status=initiative.status,
                note=item["status_text"],
            )
        if item.get("goals"):
            self.goal_links.append((initiative, item["goals"]))
        self.counts["initiatives"] += 1
        return initiative


def load_strategy_file(path: Path, *, stdout=None, follow_up: bool = True) -> Strategy | None:
    """Load one municipality's strategy file; skip (return None) if the municipality is
    missing or a strategy with the same title and version label already exists. With
    `follow_up` (the demo), the strategy gets its owners, dates, statuses and notes
    (apps.demo.follow_up); without it, it is the document as transcribed."""
    data = json.loads(path.read_text(encoding="utf-8"))
    s = data["strategy"]
    municipality = Municipality.objects.filter(code=data["municipality"]).first()
    if municipality is None:
        _say(stdout, f"Springer over {path.name}: kommune {data['municipality']} findes ikke.")
        return None
    exists = Strategy.objects.filter(
        municipality=municipality, title=s["title"], version_label=s.get("version_label", "")
    ).exists()
    if exists:
        _say(stdout, f"{municipality.name}: strategien «{s['title']}» findes allerede.")
        return None
    loader = _Loader(municipality, data)
    with transaction.atomic():
        strategy = loader.load()
        if follow_up:
            plan_follow_up(strategy)
    c = loader.counts
    _say(
        stdout,
        f"{municipality.name}: {strategy} indlæst med {c['focus_areas']} indsatsområder, "
        f"{c['goals']} målsætninger og {c['initiatives']} indsatser.",
    )
    return strategy


def load_strategies(*, stdout=None, directory: Path = STRATEGIES_DIR) -> list[Strategy]:
    """Load every strategy file in `directory` (sorted by name); idempotent. Returns the
    strategies created by this call."""
    created = []
    for path in sorted(directory.glob("*.json")):
        strategy = load_strategy_file(path, stdout=stdout)
        if strategy is not None:
            created.append(strategy)
    return created


def _say(stdout, message: str) -> None:
    """Write a line to the command's output (a command's OutputWrapper or any stream)."""
    if stdout is not None:
        stdout.write(message + "\n")
