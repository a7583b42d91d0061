"""Initiative effect (DOMAIN.md, "initiative effect"): what happened to the indicators an
initiative serves, in the years before and after it was implemented.

An initiative is linked to indicators through its goals (`initiative.goals` →
`goal.indicators`), each indicator once; only the indicators the reader may see count
(`Indicator.objects.visible_to(scope)`). For an initiative implemented in year Y:

- *before* is the indicator's stored measurements for Y-4..Y-1 and *after* those for
  Y+1..Y+4. The implementation year Y itself counts on neither side: the initiative ran for
  only part of it, so its figure mixes the two (the page says so).
- each side's *mean* is the plain mean of its yearly values (every year weighs the same),
  the *change* is after mean − before mean, in the indicator's unit (procentpoint for a
  percentage);
- the *counts* behind each side are the sums of the years' numerators and denominators,
  when every year on that side has them.

Every figure passes the small-number rule for this reader (`measurement_result`, as the API
and the goal page do). A year the reader may not see is shown as hidden, and then that side's
mean, counts and the change are withheld too: a mean of visible years and one hidden year
would give the hidden one away. A caution is added when a year rests on fewer than
`SMALL_NUMBER_LIMIT` persons, when a year is hidden, or when a side has a single year only.
Other initiatives serving the same indicator and implemented in Y-4..Y+4 are named, since the
change may be theirs as well.

Three queries whatever the number of indicators: the indicators, their measurements in the
window, the other initiatives.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Prefetch
from django.utils.translation import gettext as _

from apps.core.formatting import format_amount, format_measure
from apps.core.scoping import Scope
from apps.kpis.choices import Unit
from apps.kpis.disclosure import SMALL_NUMBER_LIMIT, SUPPRESSED_LABEL, is_small, rounding_note
from apps.kpis.models import Indicator, Measurement
from apps.kpis.selectors import measurement_result
from apps.strategy.models import Initiative

WINDOW_YEARS = 4  # years on each side of the implementation year


@dataclass(frozen=True)
class EffectPoint:
    """One year's value as the reader may see it (None and `suppressed` when hidden)."""

    period: int
    value: float | None
    numerator: Decimal | int | None
    denominator: Decimal | int | None
    unit: str
    suppressed: bool = False
    rounded: bool = False

    @property
    def text(self) -> str:
        if self.suppressed:
            return SUPPRESSED_LABEL if self.unit == Unit.COUNT else "–"
        return format_measure(self.value, self.unit)

    @property
    def small(self) -> bool:
        """The value rests on fewer than SMALL_NUMBER_LIMIT persons (as far as shown)."""
        if self.unit == Unit.COUNT:
            return is_small(self.numerator)
        return is_small(self.denominator)


@dataclass
class EffectSide:
    """The years before (or after) the implementation year, their mean and counts."""

    first: int
    last: int
    points: list[EffectPoint] = field(default_factory=list)

    @property
    def hidden(self) -> bool:
        return any(p.suppressed for p in self.points)

    @property
    def values(self) -> list[float]:
        return [p.value for p in self.points if p.value is not None]

    @property
    def mean(self) -> float | None:
        """The plain mean of the years' values; None without values or with a hidden year."""
        if self.hidden or not self.values:
            return None
        return sum(self.values) / len(self.values)

    def _sum(self, attribute: str):
        if self.hidden or not self.points:
            return None
        parts = [getattr(p, attribute) for p in self.points]
        if any(part is None for part in parts):
            return None
        return sum(Decimal(part) for part in parts)

    @property
    def numerator(self) -> Decimal | None:
        return self._sum("numerator")

    @property
    def denominator(self) -> Decimal | None:
        return self._sum("denominator")

    @property
    def counts_text(self) -> str:
        """ "12 af 180" (numerator of denominator), "" when there are none to show."""
        if self.numerator is None or self.denominator is None:
            return ""
        return _("%(numerator)s af %(denominator)s") % {
            "numerator": format_amount(self.numerator),
            "denominator": format_amount(self.denominator),
        }


@dataclass(frozen=True)
class OtherInitiative:
    pk: int
    title: str
    reference: str
    implemented_year: int

    @property
    def label(self) -> str:
        name = f"{self.reference} {self.title}" if self.reference else self.title
        return _("%(name)s (%(year)s)") % {"name": name, "year": self.implemented_year}


@dataclass
class IndicatorEffect:
    indicator: Indicator
    before: EffectSide
    after: EffectSide
    others: list[OtherInitiative] = field(default_factory=list)

    @property
    def change(self) -> float | None:
        """After mean − before mean, in the indicator's unit (procentpoint for a percentage)."""
        if self.before.mean is None or self.after.mean is None:
            return None
        return self.after.mean - self.before.mean

    @property
    def change_text(self) -> str:
        change = self.change
        if change is None:
            return "–"
        amount = format_amount(abs(change))
        sign = "+" if round(change, 1) > 0 else "\u2212" if round(change, 1) < 0 else ""
        if self.indicator.unit == Unit.PERCENT:
            return _("%(sign)s%(amount)s procentpoint") % {"sign": sign, "amount": amount}
        return f"{sign}{amount}"

    @property
    def cautions(self) -> list[str]:
        """Why the change should be read with care, in Danish; empty when nothing calls for it."""
        out = []
        points = self.before.points + self.after.points
        if any(p.small for p in points if not p.suppressed):
            out.append(
                _(
                    "Mindst ét år bygger på færre end %(limit)s personer, så "
                    "ændringen kan skyldes tilfældige udsving."
                )
                % {"limit": SMALL_NUMBER_LIMIT}
            )
        if self.before.hidden or self.after.hidden:
            out.append(
                _(
                    "Mindst ét år bygger på færre end %(limit)s personer og vises ikke for din "
                    "rolle; derfor vises gennemsnit og ændring ikke."
                )
                % {"limit": SMALL_NUMBER_LIMIT}
            )
        for side, text in (
            (self.before, _("Kun ét år før implementeringen at sammenligne med.")),
            (self.after, _("Kun ét år efter implementeringen at sammenligne med.")),
        ):
            if len(side.points) == 1:
                out.append(text)
        return out

    @property
    def missing_text(self) -> str:
        """Why there is no change to show, when a side has no years at all."""
        if not self.before.points and not self.after.points:
            return _("Ingen målinger i årene før eller efter.")
        if not self.before.points:
            return _("Ingen målinger i årene før.")
        if not self.after.points:
            return _("Ingen målinger endnu i årene efter.")
        return ""

    @property
    def others_text(self) -> str:
        if not self.others:
            return ""
        return _(
            "Andre indsatser på samme nøgletal implementeret i %(first)s–%(last)s: %(names)s. "
            "Ændringen kan også skyldes dem."
        ) % {
            "first": self.before.first,
            "last": self.after.last,
            "names": "; ".join(o.label for o in self.others),
        }


@dataclass
class InitiativeEffect:
    initiative: Initiative
    year: int | None
    rows: list[IndicatorEffect] = field(default_factory=list)
    message: str = ""  # a Danish sentence instead of the table, when there is nothing to show

    @property
    def rounding_note(self) -> str:
        """The rounding rule in words when any shown year's counts are rounded for this reader."""
        rounded = any(p.rounded for r in self.rows for p in r.before.points + r.after.points)
        return rounding_note() if rounded else ""

    @property
    def before_range(self) -> tuple[int, int] | None:
        return None if self.year is None else (self.year - WINDOW_YEARS, self.year - 1)

    @property
    def after_range(self) -> tuple[int, int] | None:
        return None if self.year is None else (self.year + 1, self.year + WINDOW_YEARS)


def linked_indicators(initiative: Initiative, scope: Scope):
    """The indicators `scope` may see that follow the initiative's goals, each once."""
    return (
        Indicator.objects.visible_to(scope)
        .filter(goals__initiatives=initiative)
        .distinct()
        .order_by("order", "name", "pk")
    )


def _point(indicator: Indicator, m: Measurement, scope: Scope) -> EffectPoint:
    result = measurement_result(indicator, m, scope)
    return EffectPoint(
        period=m.period,
        value=result.value,
        numerator=None if result.suppressed else result.numerator,
        denominator=None if result.suppressed else result.denominator,
        unit=indicator.unit,
        suppressed=result.suppressed,
        rounded=result.rounded,
    )


def _others(
    initiative: Initiative, indicator_ids: list[int], scope: Scope, first: int, last: int
) -> dict[int, list[OtherInitiative]]:
    """Per indicator id: the other initiatives on it implemented in first..last. A copy of
    this initiative in another strategy version (same title and year) is the same one."""
    rows = (
        Initiative.objects.in_scope(scope)
        .filter(goals__indicators__in=indicator_ids, implemented_year__range=(first, last))
        .exclude(pk=initiative.pk)
        .values_list("goals__indicators", "pk", "title", "reference", "implemented_year")
        .order_by("implemented_year", "reference", "title", "pk")
        .distinct()
    )
    same = (initiative.title, initiative.implemented_year)
    out: dict[int, list[OtherInitiative]] = defaultdict(list)
    seen: set[tuple] = set()
    for indicator_id, pk, title, reference, year in rows:
        key = (indicator_id, title, year)
        if (title, year) == same or key in seen:
            continue
        seen.add(key)
        out[indicator_id].append(OtherInitiative(pk, title, reference, year))
    return out


def initiative_effect(initiative: Initiative, scope: Scope) -> InitiativeEffect:
    """The effect of `initiative` on each linked indicator `scope` may see (module doc)."""
    year = initiative.implemented_year
    effect = InitiativeEffect(initiative=initiative, year=year)
    if year is None:
        effect.message = _(
            "Indsatsen har intet implementeringsår, så dens effekt på nøgletallene kan ikke "
            "vises. Angiv året, den blev implementeret, for at se udviklingen før og efter."
        )
        return effect
    first, last = year - WINDOW_YEARS, year + WINDOW_YEARS
    window = Measurement.objects.filter(period__range=(first, last), value__isnull=False)
    indicators = list(
        linked_indicators(initiative, scope).prefetch_related(
            Prefetch(
                "measurements",
                queryset=window.exclude(period=year).order_by("period"),
                to_attr="window_measurements",
            )
        )
    )
    if not indicators:
        effect.message = _(
            "Ingen nøgletal følger indsatsens målsætninger, så dens effekt kan ikke vises. "
            "Knyt indsatsen til en målsætning med nøgletal for at se udviklingen før og efter."
        )
        return effect
    others = _others(initiative, [i.pk for i in indicators], scope, first, last)
    for indicator in indicators:
        before = EffectSide(first, year - 1)
        after = EffectSide(year + 1, last)
        for m in indicator.window_measurements:
            (before if m.period < year else after).points.append(_point(indicator, m, scope))
        effect.rows.append(IndicatorEffect(indicator, before, after, others.get(indicator.pk, [])))
    return effect


def effect_json(effect: InitiativeEffect) -> dict:
    """The effect as the API gives it (apps/api/initiatives.py)."""

    def number(value):
        return None if value is None else round(float(value), 2)

    def side(s: EffectSide) -> list[dict]:
        return [
            {"period": p.period, "value": number(p.value), "suppressed": p.suppressed}
            for p in s.points
        ]

    def counts(s: EffectSide) -> dict:
        return {"numerator": number(s.numerator), "denominator": number(s.denominator)}

    return {
        "initiative": effect.initiative.pk,
        "implemented_year": effect.year,
        "message": effect.message or None,
        "indicators": [
            {
                "id": row.indicator.pk,
                "name": row.indicator.name,
                "unit": row.indicator.unit,
                "before": side(row.before),
                "after": side(row.after),
                "before_mean": number(row.before.mean),
                "after_mean": number(row.after.mean),
                "change_points": number(row.change),
                "counts": {"before": counts(row.before), "after": counts(row.after)},
                "caution": row.cautions,
                "other_initiatives": [
                    {"id": o.pk, "title": o.title, "implemented_year": o.implemented_year}
                    for o in row.others
                ],
            }
            for row in effect.rows
        ],
    }
