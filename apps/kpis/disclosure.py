"""The small-number rule, in one place: what a viewer may see of the counts behind a KPI.

Every figure the portal shows (pages, charts, KKR comparison, API) passes through `disclose`.
SECURITY.md ("Small numbers") states the method and what it guarantees. Three levels:

- `EXACT`: the municipality's own HR, coordinators and administrators, and the platform
  operator, see every count as it is.
- `EXACT` too: a leader reading their own department(s). They see the persons behind those
  figures on the people pages anyway, so hiding their counts protects nobody and only
  emptied their charts. The exception is dropouts by reason (`HEALTH_BREAKDOWNS`): leaders
  may not see a reason per person (health data, SECURITY.md), so that breakdown keeps
  `SMALL_HIDDEN` for them.
- `SMALL_HIDDEN`: a count of 1–4 persons is hidden; when one cell of a breakdown is hidden
  the next smallest goes with it; everything else is exact.
- `ROUNDED`: everyone else, who sees aggregates only (KKR analysts; a leader reading
  municipality-wide figures; an administrator reading another municipality): every count
  of persons is rounded to the nearest multiple of 5 (1–2 → 0, 3–7 → 5, 8–12 → 10, …), a
  rate is computed from the rounded counts and hidden when its numerator, denominator or
  complement is 1–4 persons, a breakdown leaves out the categories that round to 0, states
  no total and is withheld whole in the rare case where its rounded cells and rounded total
  would still pin a cell of 1–4, and sick-absence days are withheld (the rate alone).

At a given level the answer depends only on the true counts behind a figure, never on which
query or page asked, so the same count gets the same answer in every filter, page and API call.
"""

from __future__ import annotations

from dataclasses import replace
from enum import StrEnum

from django.utils.translation import gettext as _

from apps.core.scoping import Scope
from apps.kpis.choices import Metric, Unit
from apps.kpis.results import Breakdown, BreakdownRow, KpiResult

SMALL_NUMBER_LIMIT = 5
# Every published multiple of the base stands for five possible counts (0 for 0–2), so no
# two answers, and no total with two or three parts, pin a count of 1–4 (SECURITY.md).
ROUNDING_BASE = SMALL_NUMBER_LIMIT
SUPPRESSED_LABEL = f"< {SMALL_NUMBER_LIMIT}"
WITHHELD_LABEL = "–"  # a figure kept back although it is not itself small (a breakdown total)


class Level(StrEnum):
    """How much of a figure a viewer sees (module docstring)."""

    EXACT = "exact"
    SMALL_HIDDEN = "small_hidden"
    ROUNDED = "rounded"


class _Reach:
    """The default owner of a figure: the viewer's own municipality and scope restriction
    (what the live selectors query through `in_scope`)."""

    def __repr__(self) -> str:
        return "REACH"


REACH = _Reach()

# What a metric's numerator and denominator count. Persons are rounded; a planning figure or
# a count of workplaces is published as it is; days of sick absence are withheld. `subset`:
# the numerator persons are among the denominator persons, so the complement is persons too.
PERSONS, PLAIN, WITHHELD = "persons", "plain", "withheld"
_PARTS: dict[str, tuple[str, str, bool]] = {
    Metric.INTAKE_VS_QUOTA: (PERSONS, PLAIN, False),
    Metric.SICK_ABSENCE_RATE: (WITHHELD, WITHHELD, False),
    Metric.SUPERVISOR_COVERAGE: (PLAIN, PLAIN, False),
    Metric.TRAINEES_PER_SUPERVISOR: (PERSONS, PERSONS, False),
}
_DEFAULT_PARTS = (PERSONS, PERSONS, True)
# Breakdowns whose categories can be health data (GDPR art. 9): a viewer who may not see the
# reason per person must not get it from an exact count of 1–4 either.
HEALTH_BREAKDOWNS = {Metric.DROPOUTS_BY_REASON}


# --- who sees what ------------------------------------------------------------------------


def level_for(scope: Scope, *, municipality_id=REACH, department=REACH) -> Level:
    """The disclosure level of figures about `municipality_id` (None: several or unknown)
    and `department` (None: the whole municipality; an id or a set of ids) for `scope`."""
    if scope.all_municipalities:
        return Level.EXACT  # the platform operator
    if municipality_id is not REACH and municipality_id != scope.municipality_id:
        return Level.ROUNDED
    if scope.sees_small_numbers:
        return Level.EXACT
    if scope.is_leader and _within_departments(scope, department):
        return Level.EXACT
    return Level.ROUNDED


def _within_departments(scope: Scope, department) -> bool:
    if department is REACH or scope.department_ids is None:
        return True
    if department is None:
        return False
    if isinstance(department, (set, frozenset)):
        return bool(department) and department <= scope.department_ids
    return department in scope.department_ids


# --- single counts --------------------------------------------------------------------------


def is_small(count) -> bool:
    """A count of 1–4 persons (0 reveals nobody)."""
    return count is not None and 0 < count < SMALL_NUMBER_LIMIT


def round_count(count) -> int:
    """A count rounded to the nearest multiple of the base (base 5: 1–2 → 0, 3–7 → 5)."""
    return (int(count) + ROUNDING_BASE // 2) // ROUNDING_BASE * ROUNDING_BASE


# --- the one entry point ------------------------------------------------------------------


def disclose(figure, scope: Scope, *, municipality_id=REACH, department=REACH):
    """`figure` (a `KpiResult` or a `Breakdown` of true counts) as `scope` may see it, when
    it describes `municipality_id` / `department` (see `level_for`)."""
    level = level_for(scope, municipality_id=municipality_id, department=department)
    if (
        level == Level.EXACT
        and figure.metric in HEALTH_BREAKDOWNS
        and not scope.can_see_health
        and not scope.all_municipalities
    ):
        level = Level.SMALL_HIDDEN
    if isinstance(figure, Breakdown):
        return _disclose_breakdown(figure, level)
    return _disclose_result(figure, level)


def _disclose_result(result: KpiResult, level: Level) -> KpiResult:
    if level == Level.EXACT:
        return result
    if result.numerator is None and result.denominator is None:
        return result  # an entered figure with nothing to count persons by
    if level == Level.SMALL_HIDDEN:
        if result.unit == Unit.COUNT:
            small = is_small(result.numerator)
        elif result.persons is not None:
            small = is_small(result.persons)
        else:
            # Numerator and denominator are shown beside the value: a numerator of 1–4
            # would let anyone work the count out.
            small = is_small(result.denominator) or is_small(result.numerator)
        return replace(result, suppressed=True) if small else result
    return _rounded_result(result)


def _rounded_result(result: KpiResult) -> KpiResult:
    num, den = result.numerator, result.denominator
    if result.unit == Unit.COUNT:
        shown = None if num is None else round_count(num)
        return replace(result, numerator=shown, persons=None, fixed_value=None, rounded=True)
    num_kind, den_kind, subset = _PARTS.get(result.metric, _DEFAULT_PARTS)
    small = is_small(result.persons)
    if num_kind == PERSONS:
        small = small or is_small(num)
    if den_kind == PERSONS:
        small = small or is_small(den)
    if subset and num is not None and den is not None:
        small = small or is_small(den - num)
    if small:
        return replace(
            result,
            numerator=None,
            denominator=None,
            share_of=None,
            persons=None,
            fixed_value=None,
            suppressed=True,
            rounded=True,
        )
    if WITHHELD in (num_kind, den_kind):
        value = result.value
        return replace(
            result,
            numerator=None,
            denominator=None,
            persons=None,
            fixed_value=None if value is None else round(value, 1),
            rounded=True,
        )

    def part(value, kind):
        return round_count(value) if value is not None and kind == PERSONS else value

    # The value is computed from the rounded counts, so it says no more than they do.
    return replace(
        result,
        numerator=part(num, num_kind),
        denominator=part(den, den_kind),
        share_of=part(result.share_of, PERSONS),  # the municipality's intake (persons)
        persons=None,
        fixed_value=None,
        rounded=True,
    )


def _disclose_breakdown(breakdown: Breakdown, level: Level) -> Breakdown:
    rows = breakdown.rows
    total = breakdown.total if breakdown.total is not None else sum(r.count for r in rows)
    if level == Level.EXACT:
        return replace(breakdown, total=total)
    if level == Level.SMALL_HIDDEN:
        hidden = {r.key for r in rows if is_small(r.count)}
        if len(hidden) == 1:
            # The hidden cell could be worked out from the total (complementary suppression).
            others = sorted((r.count, r.key) for r in rows if r.key not in hidden and r.count > 0)
            if others:
                hidden.add(others[0][1])
        out = [BreakdownRow(r.key, r.label, None, True) if r.key in hidden else r for r in rows]
        total_small = is_small(total)
        return Breakdown(breakdown.metric, out, None if total_small else total, total_small)
    if _rounded_parts_pin_a_small_one(total, [r.count for r in rows]):
        # The total is published elsewhere (hired_into: the hired; reasons: the phases).
        out = [BreakdownRow(r.key, r.label, None, True) for r in rows]
        return Breakdown(breakdown.metric, out, None, False, rounded=True)
    # A category shown as 0 would say it holds 1–2 persons (empty ones are not listed); the
    # total is left out, as it would be one more equation over the rounded cells.
    out = []
    for r in rows:
        shown = round_count(r.count)
        if shown:
            out.append(BreakdownRow(r.key, r.label, shown))
    return Breakdown(breakdown.metric, out, None, False, rounded=True)


def _rounded_parts_pin_a_small_one(total: int, parts: list[int]) -> bool:
    """Whether the rounded total and the rounded parts leave some part exactly one possible
    value of 1–4: possible with four or more parts all at the edge of their rounding (four
    parts of 2 persons are shown as 0 and their total of 8 as 10)."""
    half = ROUNDING_BASE // 2

    def span(n):
        shown = round_count(n)
        return max(0, shown - half), shown + half

    spans = [span(n) for n in parts]
    t_lo, t_hi = span(total)
    lo_sum, hi_sum = sum(lo for lo, _ in spans), sum(hi for _, hi in spans)
    for lo, hi in spans:
        low = max(lo, t_lo - (hi_sum - hi))
        high = min(hi, t_hi - (lo_sum - lo))
        if low == high and is_small(low):
            return True
    return False


# --- what the pages say about it ---------------------------------------------------------


def hidden_note() -> str:
    return _("Værdier for færre end %(limit)s personer vises ikke.") % {"limit": SMALL_NUMBER_LIMIT}


def few_persons_text() -> str:
    return _("Færre end %(limit)s personer") % {"limit": SMALL_NUMBER_LIMIT}


def rounding_note() -> str:
    return _(
        "Antal personer er afrundet til nærmeste %(base)s, og andele er beregnet af de "
        "afrundede tal. En andel, der bygger på færre end %(limit)s personer, vises ikke."
    ) % {"base": ROUNDING_BASE, "limit": SMALL_NUMBER_LIMIT}
