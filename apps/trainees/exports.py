"""The trainee list as a spreadsheet, with the same headers HR's import reads.

The columns a role may export are chosen by `trainee_columns(scope)`; the writer only ever
sees the result, so masking survives whichever writer (request or background) renders it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from apps.core.exports import ListExport
from apps.core.scoping import Scope
from apps.trainees.filters import TraineeFilterSet
from apps.trainees.models import Trainee
from apps.trainees.selectors import shows_dropout_reasons, trainee_list


def hired_into_label(trainee: Trainee) -> str:
    if trainee.hired_as_ssa_student:
        return _("SSA-elev")
    place = trainee.hired_into_workplace or trainee.hired_into_department
    return str(place) if place else ""


@dataclass(frozen=True)
class ExportColumn:
    """One column of the trainee export; `dropout_reason` marks the columns that only roles
    allowed to see dropout reasons per person get (SECURITY.md, "Health data")."""

    header: Any
    value: Callable[[Trainee], Any]
    dropout_reason: bool = False


COLUMNS = (
    ExportColumn(gettext_lazy("Elev-ID"), lambda t: t.hr_id),
    ExportColumn(gettext_lazy("Fornavn"), lambda t: t.first_name),
    ExportColumn(gettext_lazy("Efternavn"), lambda t: t.last_name),
    ExportColumn(gettext_lazy("Uddannelse"), lambda t: t.programme.name),
    ExportColumn(gettext_lazy("Fagområde"), lambda t: t.department.name),
    ExportColumn(gettext_lazy("Startdato"), lambda t: t.start_date),
    ExportColumn(gettext_lazy("Forventet slutdato"), lambda t: t.expected_end_date),
    ExportColumn(gettext_lazy("Slutdato"), lambda t: t.end_date),
    ExportColumn(gettext_lazy("Status"), lambda t: t.get_status_display()),
    ExportColumn(
        gettext_lazy("Frafaldsårsag"),
        lambda t: t.dropout_reason.name if t.dropout_reason else "",
        dropout_reason=True,
    ),
    ExportColumn(gettext_lazy("Note om frafald"), lambda t: t.dropout_note, dropout_reason=True),
    ExportColumn(gettext_lazy("Frafaldsfase"), lambda t: str(t.dropout_phase or "")),
    ExportColumn(gettext_lazy("Alder ved start"), lambda t: t.get_age_band_display()),
    ExportColumn(gettext_lazy("Rekruttering"), lambda t: t.get_recruitment_display()),
    ExportColumn(gettext_lazy("Ansat efter uddannelse"), lambda t: t.hired_after),
    ExportColumn(gettext_lazy("Ansat i"), hired_into_label),
    ExportColumn(gettext_lazy("Personlig vejleder"), lambda t: t.personal_guide),
)


def trainee_columns(scope: Scope) -> list[ExportColumn]:
    """The columns `scope` may export: without the reason and note columns for roles that
    may not see dropout reasons per person (leaders), so no cell can carry them."""
    if shows_dropout_reasons(scope):
        return list(COLUMNS)
    return [column for column in COLUMNS if not column.dropout_reason]


def trainee_headers(scope: Scope) -> list[str]:
    return [str(column.header) for column in trainee_columns(scope)]


def trainee_rows(trainees, scope: Scope) -> Iterator[list]:
    """One row per trainee with the columns of `trainee_columns(scope)`."""
    columns = trainee_columns(scope)
    for t in trainees.iterator(chunk_size=2000):
        yield [column.value(t) for column in columns]


def trainee_filterset(data, scope: Scope) -> TraineeFilterSet:
    return TraineeFilterSet(data, queryset=trainee_list(scope=scope), scope=scope)


TRAINEE_EXPORT = ListExport(
    label="trainees.trainee",
    name=lambda: _("elever"),
    permission="can_see_persons",
    headers=trainee_headers,
    filterset=trainee_filterset,
    rows=trainee_rows,
)
