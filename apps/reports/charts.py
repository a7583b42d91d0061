"""A KPI's trend as a small vector chart drawn on the server (SVG, no JavaScript): the
measurements as a line with points, the target as a dashed line, the years below."""

from __future__ import annotations

from dataclasses import dataclass

from django.template.loader import render_to_string

WIDTH, HEIGHT = 240, 90
LEFT, RIGHT, TOP, BOTTOM = 30, 10, 10, 20


@dataclass
class TrendPoint:
    period: int
    value: float | None  # None: not shown to this reader
    text: str = ""  # the value as printed


def trend_svg(points: list[TrendPoint], *, target: float | None, label: str) -> str:
    """The SVG markup, or "" when fewer than one value is shown."""
    shown = [p for p in points if p.value is not None]
    if not shown:
        return ""
    values = [p.value for p in shown] + ([target] if target is not None else [])
    low, high = min(0.0, *values), max(values)
    if high == low:
        high = low + 1
    periods = [p.period for p in points]
    first, last = min(periods), max(periods)
    span = max(last - first, 1)
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM

    def x(period: int) -> float:
        if first == last:
            return LEFT + plot_w / 2
        return round(LEFT + (period - first) / span * plot_w, 1)

    def y(value: float) -> float:
        return round(TOP + (high - value) / (high - low) * plot_h, 1)

    coords = [(x(p.period), y(p.value)) for p in shown]
    return render_to_string(
        "reports/trend.svg",
        {
            "width": WIDTH,
            "height": HEIGHT,
            "label": label,
            "polyline": " ".join(f"{a},{b}" for a, b in coords),
            "dots": coords,
            "target_y": None if target is None else y(target),
            "x0": LEFT,
            "x1": WIDTH - RIGHT,
            "axis_y": TOP + plot_h,
            "years": [(x(p), p) for p in sorted(set(periods))],
            "year_y": HEIGHT - 5,
            "high_label": _axis(high),
            "low_label": _axis(low),
            "top": TOP,
        },
    ).strip()


def _axis(value: float) -> str:
    text = f"{value:.0f}" if abs(value) >= 10 or value == int(value) else f"{value:.1f}"
    return text.replace(".", ",")
