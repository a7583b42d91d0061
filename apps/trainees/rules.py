"""The rules across a trainee's fields, in one place: `Trainee.clean()` (and so the service,
the correction form and the admin) and the spreadsheet import all apply these, with the
same Danish messages, keyed by the field each rule is about.

- The expected end date and the end date are not before the start date.
- A trainee who dropped out (status Afbrudt) has a dropout reason.
- Departments and the workplace a trainee is hired into belong to the trainee's municipality.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext as _

from apps.core.formatting import format_date
from apps.trainees.choices import TraineeStatus


def _day(value: datetime.date) -> str:
    return format_date(value)


def _missing(values: Mapping[str, Any], name: str) -> bool:
    return values.get(name) is None and values.get(f"{name}_id") is None


def trainee_rule_errors(
    values: Mapping[str, Any], *, municipality_id: int | None = None
) -> dict[str, str]:
    """{field name: Danish message} for every rule `values` break (empty when none).

    `values` holds the trainee's field values by field name; a foreign key may be given as the
    object (`dropout_reason`) or as its id (`dropout_reason_id`). The municipality rules need
    `municipality_id` and the objects (the import only ever finds the municipality's own)."""
    errors: dict[str, str] = {}
    start = values.get("start_date")
    if start is not None:
        expected_end = values.get("expected_end_date")
        if expected_end is not None and expected_end < start:
            errors["expected_end_date"] = _(
                "Den forventede slutdato %(end)s ligger før startdatoen %(start)s."
            ) % {"end": _day(expected_end), "start": _day(start)}
        end = values.get("end_date")
        if end is not None and end < start:
            errors["end_date"] = _("Slutdatoen %(end)s ligger før startdatoen %(start)s.") % {
                "end": _day(end),
                "start": _day(start),
            }
    if values.get("status") == TraineeStatus.DROPPED_OUT and _missing(values, "dropout_reason"):
        errors["dropout_reason"] = _("Angiv en frafaldsårsag, når status er Afbrudt.")
    if municipality_id is not None:
        for name in ("department", "hired_into_department"):
            department = values.get(name)
            if department is not None and department.municipality_id != municipality_id:
                errors[name] = _("Fagområdet hører ikke til elevens kommune.")
        workplace = values.get("hired_into_workplace")
        if workplace is not None and workplace.department.municipality_id != municipality_id:
            errors["hired_into_workplace"] = _("Arbejdspladsen hører ikke til elevens kommune.")
    return errors
