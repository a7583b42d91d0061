"""The supervisor list as a spreadsheet (the writer and formula guard are apps.core.exports)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from apps.core.exports import ListExport
from apps.core.scoping import Scope
from apps.supervisors.filters import SupervisorFilterSet
from apps.supervisors.selectors import supervisor_list


def supervisor_headers(scope: Scope | None = None) -> list[str]:
    return [
        _("Medarbejder-ID"),
        _("Navn"),
        _("Fagområde"),
        _("Arbejdsplads"),
        _("Faggruppe"),
        _("Kvalifikation"),
        _("Kvalificeret dato"),
        _("Aktiv"),
        _("Aktuelle elever"),
    ]


def supervisor_rows(supervisors, scope: Scope | None = None):
    """One row per supervisor with the number of current trainees (prefetched)."""
    for s in supervisors:
        yield [
            s.hr_id,
            s.name,
            s.workplace.department.name if s.workplace else "",
            s.workplace.name if s.workplace else "",
            s.profession,
            s.qualification.name if s.qualification else "",
            s.qualified_on,
            s.is_active,
            len(s.current_placements),
        ]


def supervisor_filterset(data, scope: Scope) -> SupervisorFilterSet:
    return SupervisorFilterSet(data, queryset=supervisor_list(scope=scope), scope=scope)


SUPERVISOR_EXPORT = ListExport(
    label="supervisors.supervisor",
    name=lambda: _("vejledere"),
    permission="can_see_persons",
    headers=supervisor_headers,
    filterset=supervisor_filterset,
    rows=supervisor_rows,
)
