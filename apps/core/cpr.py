"""CPR numbers (Danish personal identity numbers) in free text: found, refused, never kept.

Rule: the portal never stores a CPR number, neither in person data, import rows, the audit
trail nor the log. Every place that accepts text about a person (the HR import of every
kind, the trainee correction form) asks `contains_cpr` before keeping a value, and anything
written to a log passes `redact_cpr` first.

A CPR number is ten digits DDMMYY-SSSS: a valid day (01-31) and month (01-12), then the
year and four more digits, written together, with a dash or with a space. It is found
anywhere in a text ("Pers. 0101901234 v", "x 010190 1234 y"), but not inside a longer
run of digits, and not when the date part is impossible (321390 1234) or the number is
short (a phone number such as 12345678).
"""

from __future__ import annotations

import re

_SEPARATOR = r"(?:[ \u00a0]?[-\u2010\u2011\u2012\u2013][ \u00a0]?|[ \u00a0])?"
CPR_PATTERN = re.compile(
    r"(?<![0-9])(?:0[1-9]|[12][0-9]|3[01])(?:0[1-9]|1[0-2])[0-9]{2}"
    + _SEPARATOR
    + r"[0-9]{4}(?![0-9])"
)
REDACTED = "[CPR]"


def _as_text(value) -> str | None:
    """A cell or field value as text; a whole number of nine or ten digits is read as the
    ten-digit number Excel shows without its leading zero (101901234 → 0101901234)."""
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, float):
        if not value.is_integer():
            return None
        value = int(value)
    if isinstance(value, int):
        return f"{value:010d}" if 10**8 <= value < 10**10 else None
    if isinstance(value, str):
        return value
    return None


def contains_cpr(value) -> bool:
    """Whether `value` (text or a number cell) holds a CPR number anywhere."""
    text = _as_text(value)
    return bool(text) and CPR_PATTERN.search(text) is not None


def is_cpr(value) -> bool:
    """Whether `value` is a CPR number and nothing else (surrounding spaces aside): the
    mark of a column that holds CPR numbers."""
    text = _as_text(value)
    return bool(text) and CPR_PATTERN.fullmatch(text.strip()) is not None


def redact_cpr(text: str) -> str:
    """`text` with every CPR number replaced by [CPR]; for logs and stored labels."""
    return CPR_PATTERN.sub(REDACTED, str(text))
