"""The trainee list as a spreadsheet, with the same headers HR's import reads (the writer
and formula guard are apps.core.exports)."""

from __future__ import annotations

from collections.abc import Iterator

from django.utils.translation import gettext as _

from apps.core.exports import ListExport
from apps.core.scoping import Scope
from apps.trainees.filters import TraineeFilterSet
from apps.trainees.models import Trainee
from apps.trainees.selectors import trainee_list, visible_dropout_note, visible_dropout_reason


def trainee_headers() -> list[str]:
    return [
        _("Elev-ID"),
        _("Fornavn"),
        _("Efternavn"),
        _("Uddannelse"),
        _("Fagområde"),
        _("Startdato"),
        _("Forventet slutdato"),
        _("Slutdato"),
        _("Status"),
        _("Frafaldsårsag"),
        _("Note om frafald"),
        _("Frafaldsfase"),
        _("Alder ved start"),
        _("Rekruttering"),
        _("Ansat efter uddannelse"),
        _("Ansat i"),
        _("Personlig vejleder"),
    ]


def hired_into_label(trainee: Trainee) -> str:
    if trainee.hired_as_ssa_student:
        return _("SSA-elev")
    place = trainee.hired_into_workplace or trainee.hired_into_department
    return str(place) if place else ""


def trainee_rows(trainees, scope: Scope) -> Iterator[list]:
    """One row per trainee; health-related reasons only for roles that may see them."""
    for t in trainees.iterator(chunk_size=2000):
        yield [
            t.hr_id,
            t.first_name,
            t.last_name,
            t.programme.name,
            t.department.name,
            t.start_date,
            t.expected_end_date,
            t.end_date,
            t.get_status_display(),
            visible_dropout_reason(t, scope),
            visible_dropout_note(t, scope),
            str(t.dropout_phase or ""),
            t.get_age_band_display(),
            t.get_recruitment_display(),
            t.hired_after,
            hired_into_label(t),
            t.personal_guide,
        ]


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
