"""One Danish format for numbers, dates and date-times, in Python and in templates."""

import datetime
import re
from decimal import Decimal
from pathlib import Path

import pytest
from django.template import Context, Template
from django.utils import formats

from apps.core.formatting import (
    format_amount,
    format_date,
    format_datetime,
    format_measure,
    format_number,
    format_percent,
)

COPENHAGEN_WINTER = datetime.timezone(datetime.timedelta(hours=1))
REPO = Path(__file__).resolve().parents[2]


def test_a_date_is_day_month_year_with_dots():
    assert format_date(datetime.date(2026, 12, 15)) == "15.12.2026"
    assert format_date(datetime.date(2023, 2, 1)) == "01.02.2023"
    assert format_date(None) == "–"


def test_a_date_time_is_shown_in_danish_local_time():
    utc = datetime.datetime(2026, 11, 30, 14, 41, tzinfo=datetime.UTC)
    assert format_datetime(utc) == "30.11.2026 kl. 15:41"
    # Past midnight in Copenhagen is the next day, also as a date.
    late = datetime.datetime(2026, 12, 31, 23, 30, tzinfo=datetime.UTC)
    assert format_date(late) == "01.01.2027"
    assert format_datetime(datetime.date(2026, 12, 15)) == "15.12.2026"
    assert format_datetime(None) == "–"


def test_djangos_own_date_rendering_uses_the_same_formats():
    assert formats.date_format(datetime.date(2026, 12, 15)) == "15.12.2026"
    moment = datetime.datetime(2026, 12, 15, 15, 41, tzinfo=COPENHAGEN_WINTER)
    html = Template("{{ d }}|{{ t }}|{{ d|date }}").render(
        Context({"d": datetime.date(2026, 12, 15), "t": moment})
    )
    assert html == "15.12.2026|15.12.2026 kl. 15:41|15.12.2026"


def test_template_filters_format_dates_and_date_times():
    moment = datetime.datetime(2026, 11, 30, 14, 41, tzinfo=datetime.UTC)
    html = Template("{% load danish %}{{ d|da_date }} / {{ t|da_datetime }} / {{ n|da_date }}")
    out = html.render(Context({"d": datetime.date(2026, 12, 15), "t": moment, "n": None}))
    assert out == "15.12.2026 / 30.11.2026 kl. 15:41 / –"


@pytest.mark.parametrize(
    ("value", "expected"),
    [(4822.0, "4.822"), (Decimal("4822.50"), "4.822,5"), (3, "3"), (0.04, "0"), (None, "–")],
)
def test_amounts_are_whole_numbers_unless_they_have_a_fraction(value, expected):
    assert format_amount(value) == expected


@pytest.mark.parametrize(
    ("value", "unit", "expected"),
    [
        (Decimal("16.00"), "percent", "16\u00a0%"),
        (Decimal("16.24"), "percent", "16,2\u00a0%"),
        (Decimal("1.43"), "ratio", "1,4"),
        (Decimal("2.00"), "ratio", "2"),
        (Decimal("4822.0"), "days", "4.822\u00a0dage"),
        (Decimal("12"), "count", "12"),
        (None, "percent", "–"),
    ],
)
def test_a_measure_always_shows_its_unit_and_a_whole_number_no_decimals(value, unit, expected):
    assert format_measure(value, unit) == expected


def test_numbers_and_percentages_keep_the_danish_separators():
    assert format_number(1234567.891, 2) == "1.234.567,89"
    assert format_percent(16.216) == "16,2\u00a0%"


def test_no_template_or_module_formats_a_date_its_own_way():
    """Dates and date-times go through `da_date`/`da_datetime` (or format_date/
    format_datetime); `|date` is left only for machine formats (`Y-m-d`, `c`) and month
    names ("F Y")."""
    allowed = {"Y-m-d", "c", "F Y"}
    offenders = []
    for path in (REPO / "templates").rglob("*.*"):
        for fmt in re.findall(r"\|date:[\"']([^\"']*)[\"']", path.read_text(encoding="utf-8")):
            if fmt not in allowed:
                offenders.append(f"{path.relative_to(REPO)}: {fmt}")
    for path in (REPO / "apps").rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        if re.search(r"strftime\(\"%d|:%d-%m|:%d\.%m", text):
            offenders.append(str(path.relative_to(REPO)))
    assert offenders == []
