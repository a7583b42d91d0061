"""Judging a value against an indicator's baseline and target (DOMAIN.md: a target can be a
level, a change in percentage points or a relative change; the portal shows both)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _

from apps.core.formatting import format_amount, format_measure
from apps.kpis.choices import Direction, TargetKind, TrackStatus, Unit
from apps.kpis.models import Indicator


@dataclass(frozen=True)
class TargetJudgement:
    """Where a value stands: the target level, the expected value on the straight path from
    baseline to target in this period, the distance (points and relative) and a status."""

    target_level: Decimal | None
    expected: Decimal | None
    distance_points: Decimal | None  # target − value, in the indicator's unit
    distance_relative: Decimal | None  # (target − value) ÷ value, in percent
    status: str

    @property
    def status_label(self) -> str:
        return TrackStatus(self.status).label

    @property
    def status_css(self) -> str:
        return {
            TrackStatus.ACHIEVED: "status-good",
            TrackStatus.ON_TRACK: "status-info",
            TrackStatus.BEHIND: "status-bad",
        }.get(self.status, "status-neutral")


def target_level(indicator: Indicator) -> Decimal | None:
    """The target as a level: "−7 %" relative from 40 → 37.2; "+3 procentpoint" from 41.4
    → 44.4; a level is itself."""
    target, baseline = indicator.target_value, indicator.baseline_value
    if target is None:
        return None
    if indicator.target_kind == TargetKind.ABSOLUTE:
        return target
    if baseline is None:
        return None
    if indicator.target_kind == TargetKind.POINTS:
        return baseline + target
    return baseline * (1 + target / Decimal(100))


def value_text(value, unit: str) -> str:
    """A level in the indicator's unit, the unit always shown and a whole number without
    decimals: "37,2 %", "40 %", "1,5", "12"; None → "–"."""
    return format_measure(value, unit)


def _signed(value: Decimal) -> str:
    text = format_amount(abs(value))
    return f"+{text}" if value > 0 else f"\u2212{text}" if value < 0 else text


def distance_text(indicator: Indicator, judgement: TargetJudgement) -> str:
    """How far a value is from the target, in plain Danish and in the indicator's unit:
    "7,9 procentpoint under målet"; "" when the target is reached or cannot be judged."""
    points = judgement.distance_points
    if points is None or judgement.status in (TrackStatus.ACHIEVED, TrackStatus.NO_DATA):
        return ""
    if indicator.unit == Unit.PERCENT:
        amount = _("%(points)s procentpoint") % {"points": format_amount(abs(points))}
    else:
        amount = value_text(abs(points), indicator.unit)
    # distance_points is target − value: positive means the value is below the target.
    if points > 0:
        return _("%(amount)s under målet") % {"amount": amount}
    return _("%(amount)s over målet") % {"amount": amount}


def target_text(indicator: Indicator) -> str:
    """The target once, readably: "100 % (niveau) i 2027", "37,2 % i 2026 (−7 % fra
    baseline)", "44,4 % i 2026 (+3 procentpoint fra baseline)"; "" without a target."""
    level = target_level(indicator)
    if level is None:
        return ""
    text = value_text(level, indicator.unit)
    if indicator.target_kind == TargetKind.ABSOLUTE:
        text = _("%(level)s (niveau)") % {"level": text}
    if indicator.target_period:
        text = _("%(target)s i %(year)s") % {"target": text, "year": indicator.target_period}
    change = _signed(indicator.target_value)
    if indicator.target_kind == TargetKind.POINTS:
        text += " " + _("(%(change)s procentpoint fra baseline)") % {"change": change}
    elif indicator.target_kind == TargetKind.RELATIVE:
        text += " " + _("(%(change)s fra baseline)") % {"change": f"{change}\u00a0%"}
    return text


def _better_or_equal(indicator: Indicator, value: Decimal, reference: Decimal) -> bool:
    if indicator.direction == Direction.LOWER:
        return value <= reference
    return value >= reference


def expected_on_path(indicator: Indicator, period: int) -> Decimal | None:
    """The value the straight line from (baseline period, baseline) to (target period,
    target) reaches in `period`; before the baseline it is the baseline, after the target
    period the target."""
    level = target_level(indicator)
    bp, tp, bv = indicator.baseline_period, indicator.target_period, indicator.baseline_value
    if level is None or bv is None or bp is None or tp is None or tp <= bp:
        return level
    share = Decimal(min(max(period - bp, 0), tp - bp)) / Decimal(tp - bp)
    return bv + (level - bv) * share


def judge(indicator: Indicator, value, period: int) -> TargetJudgement:
    """Status: "nået" when the value meets the target level; "på sporet" when it is at
    least as good as the straight path from baseline to target in `period`; else "bagud"."""
    level = target_level(indicator)
    if value is None or level is None:
        return TargetJudgement(level, None, None, None, TrackStatus.NO_DATA)
    value = Decimal(str(value))
    expected = expected_on_path(indicator, period)
    points = level - value
    relative = (points / value * 100) if value else None
    if _better_or_equal(indicator, value, level):
        status = TrackStatus.ACHIEVED
    elif expected is not None and _better_or_equal(indicator, value, expected):
        status = TrackStatus.ON_TRACK
    else:
        status = TrackStatus.BEHIND
    return TargetJudgement(level, expected, points, relative, status)
