"""Danish formats: numbers (decimal comma, dot as thousands separator, "16,2 %"), dates
("15.12.2026") and date-times ("15.12.2026 kl. 15:41")."""

import datetime
from decimal import Decimal

from django.utils import timezone


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


def format_amount(value: float | int | Decimal | None, max_decimals: int = 1) -> str:
    """A count or number of days: a whole number without decimals (`4822.0` → `4.822`),
    otherwise with up to `max_decimals` (`4822.5` → `4.822,5`); None → "–"."""
    if value is None:
        return "–"
    rounded = round(float(value), max_decimals)
    return format_number(rounded, 0 if rounded.is_integer() else max_decimals)


def format_measure(value: float | int | Decimal | None, unit: str) -> str:
    """A value with its unit always shown, a whole number without decimals: "percent" →
    `16 %` / `16,5 %`, "ratio" → `1,4` / `2`, "days" → `4.822 dage`, "count" (or anything
    else) → `4.822`; None → "–"."""
    if value is None:
        return "–"
    if unit == "percent":
        return f"{format_amount(value)}\u00a0%"
    if unit == "ratio":
        return format_amount(value)
    if unit == "days":
        return f"{format_amount(value)}\u00a0dage"
    return format_amount(value)


def format_dkk(value: float | int | Decimal | None) -> str:
    """An amount in kroner: `1250000` → `1.250.000 kr.`"""
    if value is None:
        return "–"
    return f"{format_number(value, 0)}\u00a0kr."


# One Danish format for dates and one for date-times, everywhere: pages, e-mails, exports,
# messages. The settings' DATE_FORMAT/DATETIME_FORMAT (strategy_portal/formats/da) say the
# same for Django's own rendering (`{{ value }}`, `|date` without an argument, the admin).
DATE_PATTERN = "%d.%m.%Y"
DATETIME_PATTERN = "%d.%m.%Y kl. %H:%M"


def format_date(value: datetime.date | datetime.datetime | None) -> str:
    """`date(2026, 12, 15)` → `15.12.2026`; a date-time gives its local date; None → "–"."""
    if value is None or value == "":
        return "–"
    if isinstance(value, datetime.datetime):
        value = _local(value).date()
    return value.strftime(DATE_PATTERN)


def format_datetime(value: datetime.datetime | None) -> str:
    """An aware date-time in Danish local time: `15.12.2026 kl. 15:41`; None → "–"."""
    if value is None or value == "":
        return "–"
    if not isinstance(value, datetime.datetime):
        return format_date(value)
    return _local(value).strftime(DATETIME_PATTERN)


def _local(value: datetime.datetime) -> datetime.datetime:
    return timezone.localtime(value) if timezone.is_aware(value) else value
