"""Reads of the placement survey: results per workplace, department or programme and year.

Every role sees a group only when at least `SURVEY_MIN_ANSWERS` answers are behind it. When
exactly one group of a parent (a workplace's department; the whole reach for departments and
programmes) is hidden, the next smallest is hidden too, so the parent's total (shown
elsewhere) minus the shown groups does not give the hidden one away. Free text comes only
with a shown group, sorted by its text so the order says nothing about who answered when.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

from apps.core.scoping import Scope
from apps.kpis.registry import SURVEY_MIN_ANSWERS
from apps.survey.choices import SATISFACTION_SCALE, WELCOMED, Welcome
from apps.survey.models import SurveyAnswer

# dimension: (id field, name field, parent field or None, label)
DIMENSIONS = {
    "workplace": ("workplace_id", "workplace__name", "department_id", _("Arbejdssted")),
    "department": ("department_id", "department__name", None, _("Fagområde")),
    "programme": ("programme_id", "programme__name", None, _("Uddannelse")),
}
DEFAULT_DIMENSION = "workplace"


def _counts() -> dict:
    counts = {"answers": Count("id"), "supervisor_yes": Count("id", filter=Q(had_supervisor=True))}
    for choice in Welcome:
        counts[f"welcomed_{choice.value}"] = Count("id", filter=Q(welcomed=choice))
    for value in SATISFACTION_SCALE:
        counts[f"satisfaction_{value}"] = Count("id", filter=Q(guidance_satisfaction=value))
    return counts


def _share(part: int, whole: int) -> float | None:
    return part * 100 / whole if whole else None


@dataclass
class Group:
    key: int
    name: str
    parent: int | None
    answers: int
    counts: dict
    hidden: bool = False
    comments: list[str] = field(default_factory=list)

    @property
    def welcomed(self) -> list[tuple[str, float | None]]:
        """(answer, share) for "Følte du dig godt modtaget?", in the form's order."""
        return [
            (c.label, _share(self.counts[f"welcomed_{c.value}"], self.answers)) for c in Welcome
        ]

    @property
    def welcomed_share(self) -> float | None:
        """The two "Ja" answers together (`placement_welcomed_share`)."""
        yes = sum(self.counts[f"welcomed_{c}"] for c in WELCOMED)
        return _share(yes, self.answers)

    @property
    def supervisor(self) -> list[tuple[str, float | None]]:
        yes = self.counts["supervisor_yes"]
        return [
            (_("Ja"), _share(yes, self.answers)),
            (_("Nej"), _share(self.answers - yes, self.answers)),
        ]

    @property
    def satisfaction(self) -> list[tuple[int, float | None]]:
        return [
            (v, _share(self.counts[f"satisfaction_{v}"], self.answers)) for v in SATISFACTION_SCALE
        ]

    @property
    def satisfaction_mean(self) -> float | None:
        total = sum(v * self.counts[f"satisfaction_{v}"] for v in SATISFACTION_SCALE)
        return total / self.answers if self.answers else None


@dataclass
class Results:
    dimension: str
    year: int | None
    groups: list[Group]  # the shown groups, by name
    hidden: int  # groups left out (fewer than 5 answers, or hidden beside one)

    @property
    def label(self):
        return DIMENSIONS[self.dimension][3]


def survey_years(scope: Scope) -> list[int]:
    """The years of placement end with answers the scope may read (newest first)."""
    return list(
        SurveyAnswer.objects.in_scope(scope)
        .order_by("-period_year")
        .values_list("period_year", flat=True)
        .distinct()
    )


def _hide_small(groups: list[Group]) -> None:
    by_parent: dict = defaultdict(list)
    for g in groups:
        g.hidden = g.answers < SURVEY_MIN_ANSWERS
        by_parent[g.parent].append(g)
    for siblings in by_parent.values():
        hidden = [g for g in siblings if g.hidden]
        shown = sorted((g for g in siblings if not g.hidden), key=lambda g: (g.answers, g.name))
        if len(hidden) == 1 and shown:
            shown[0].hidden = True


def survey_results(
    scope: Scope, *, year: int | None, dimension: str, with_comments: bool = False
) -> Results:
    """The shown groups of `dimension` for answers about placements that ended in `year`:
    one grouped query, and one more for the free text when `with_comments`."""
    id_field, name_field, parent_field, _label = DIMENSIONS[dimension]
    if year is None:
        return Results(dimension, None, [], 0)
    answers = SurveyAnswer.objects.in_scope(scope).filter(period_year=year)
    fields = [id_field, name_field] + ([parent_field] if parent_field else [])
    groups = [
        Group(
            key=row[id_field],
            name=row[name_field],
            parent=row[parent_field] if parent_field else None,
            answers=row["answers"],
            counts=row,
        )
        for row in answers.values(*fields).annotate(**_counts()).order_by()
    ]
    _hide_small(groups)
    shown = sorted((g for g in groups if not g.hidden), key=lambda g: g.name)
    if with_comments and shown:
        by_key = {g.key: g for g in shown}
        for key, text in (
            answers.filter(**{f"{id_field}__in": list(by_key)})
            .exclude(comment="")
            .order_by("comment")
            .values_list(id_field, "comment")
        ):
            by_key[key].comments.append(text)
    return Results(dimension, year, shown, len(groups) - len(shown))
