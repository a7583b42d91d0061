"""Danish number formats: decimal comma, dot as thousands separator, "16,2 %"."""

from decimal import Decimal


def format_number(value: float | int | Decimal | None, decimals: int = 0) -> str:
    """`1234.5` → `1.234,5` (with `decimals=1`); None → "–"."""
    if value is None:
        return "–"
    text = f"{float(value):,.{decimals}f}"
    return text.replace(",", "\u0000").replace(".", ",").replace("\u0000", ".")


def format_percent(value: float | Decimal | None, decimals: int = 1) -> str:
    """A percentage already in percent units: `16.216` → `16,2 %`."""
    if value is None:
        return "–"
    return f"{format_number(value, decimals)}\u00a0%"


def format_dkk(value: float | int | Decimal | None) -> str:
    """An amount in kroner: `1250000` → `1.250.000 kr.`"""
    if value is None:
        return "–"
    return f"{format_number(value, 0)}\u00a0kr."
