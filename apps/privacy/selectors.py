"""Person-level reads for the data-protection pages: who looked up a trainee or supervisor,
and everything the portal holds about one of them (the indsigt export)."""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from apps.core.audit import HIDDEN, AuditMask
from apps.core.models import AuditEntry
from apps.core.scoping import Scope
from apps.supervisors.models import Supervisor
from apps.trainees.models import Absence, Placement, Trainee
from apps.trainees.selectors import shows_dropout_reasons


def trainee_for_privacy(*, scope: Scope, pk: int) -> Trainee:
    """The trainee in `scope` (DoesNotExist outside it, which views turn into a 404)."""
    return (
        Trainee.objects.in_scope(scope)
        .select_related(
            "programme", "department", "dropout_reason", "dropout_phase", "municipality"
        )
        .get(pk=pk)
    )


def _trainee_audit(trainee: Trainee):
    placement_ids = [str(pk) for pk in trainee.placements.values_list("pk", flat=True)]
    absence_ids = [str(pk) for pk in trainee.absences.values_list("pk", flat=True)]
    return AuditEntry.objects.filter(
        Q(object_type=Trainee._meta.label_lower, object_id=str(trainee.pk))
        | Q(object_type=Placement._meta.label_lower, object_id__in=placement_ids)
        | Q(object_type=Absence._meta.label_lower, object_id__in=absence_ids),
        municipality_id=trainee.municipality_id,
    )


def trainee_lookups(*, trainee: Trainee):
    """Look-ups (view, export) of this trainee's own record, newest first.

    Rule: kept for AUDIT_LOOKUP_RETENTION_MONTHS; list searches and list exports are
    recorded with their criteria, not per person, so they are not listed here.
    """
    return _trainee_audit(trainee).lookups().select_related("actor").order_by("-occurred_at")


def _entry_row(entry: AuditEntry, mask: AuditMask) -> dict[str, Any]:
    return {
        "tidspunkt": entry.occurred_at.isoformat(),
        "bruger": entry.actor_label,
        "rolle": entry.role,
        "handling": entry.action,
        "objekt": entry.object_repr,
        "ændringer": mask.changes(entry.object_type, entry.changes),
        "detaljer": entry.context,
    }


def _survey_link(placement: Placement, label) -> str:
    """Whether a survey link was issued for the placement and used (the answer itself is
    anonymous and is not part of the person's data)."""
    link = getattr(placement, "survey_link", None)
    if link is None:
        return ""
    used = "besvaret" if link.used else "ikke besvaret"
    return f"link udstedt {label(link.issued_at)}, {used}"


def trainee_access_data(*, trainee: Trainee, scope: Scope) -> dict[str, list[dict[str, Any]]]:
    """Everything stored about one trainee, section by section, with Danish field names.

    Rule: the dropout reason and note (possibly health data) are "Skjult" for a `scope`
    that may not see them per person, in the record and in the audit trail alike.
    """
    mask = AuditMask(scope)
    shows_reason = shows_dropout_reasons(scope)
    hidden = str(HIDDEN)

    def label(value):
        return str(value) if value is not None else None

    person = {
        "elev-id": trainee.hr_id,
        "fornavn": trainee.first_name,
        "efternavn": trainee.last_name,
        "kommune": str(trainee.municipality),
        "fagområde": str(trainee.department),
        "uddannelse": str(trainee.programme),
        "startdato": label(trainee.start_date),
        "forventet slutdato": label(trainee.expected_end_date),
        "slutdato": label(trainee.end_date),
        "status": trainee.get_status_display(),
        "frafaldsårsag": label(trainee.dropout_reason) if shows_reason else hidden,
        "note om frafald": trainee.dropout_note if shows_reason else hidden,
        "frafaldsfase": label(trainee.dropout_phase),
        "alder ved start": trainee.get_age_band_display(),
        "rekruttering": trainee.get_recruitment_display(),
        "ansat efter uddannelse": trainee.hired_after,
        "ansat i fagområde": label(trainee.hired_into_department),
        "ansat på arbejdsplads": label(trainee.hired_into_workplace),
        "ansat som SSA-elev": trainee.hired_as_ssa_student,
        "personlig vejleder": trainee.personal_guide,
        "oprettet": label(trainee.created_at),
        "ændret": label(trainee.updated_at),
        "anonymiseret": label(trainee.anonymised_at),
    }
    placements = [
        {
            "type": p.get_kind_display(),
            "periode": p.period_number,
            "arbejdsplads": label(p.workplace),
            "vejleder": label(p.supervisor),
            "fra": label(p.start_date),
            "til": label(p.end_date),
            "praktikundersøgelse": _survey_link(p, label),
        }
        for p in trainee.placements.select_related(
            "workplace", "supervisor", "survey_link"
        ).order_by("start_date")
    ]
    absences = [
        {
            "måned": a.month.strftime("%Y-%m"),
            "sygedage": str(a.sick_days),
            "planlagte dage": str(a.planned_days),
        }
        for a in trainee.absences.order_by("month")
    ]
    audit = [_entry_row(e, mask) for e in _trainee_audit(trainee).order_by("occurred_at", "pk")]
    return {
        "elev": [person],
        "praktikperioder": placements,
        "fravær": absences,
        "revisionsspor": audit,
    }


def supervisor_for_privacy(*, scope: Scope, pk: int) -> Supervisor:
    """The supervisor in `scope` (DoesNotExist outside it, which views turn into a 404)."""
    return (
        Supervisor.objects.in_scope(scope)
        .select_related("workplace__department", "qualification", "municipality")
        .get(pk=pk)
    )


def _supervisor_audit(supervisor: Supervisor):
    return AuditEntry.objects.filter(
        object_type=Supervisor._meta.label_lower,
        object_id=str(supervisor.pk),
        municipality_id=supervisor.municipality_id,
    )


def supervisor_lookups(*, supervisor: Supervisor):
    """Look-ups (view, export) of this supervisor's own record, newest first."""
    return _supervisor_audit(supervisor).lookups().select_related("actor").order_by("-occurred_at")


def supervisor_access_data(
    *, supervisor: Supervisor, scope: Scope
) -> dict[str, list[dict[str, Any]]]:
    """Everything stored about one supervisor: the record, the trainees' placements they
    supervise (by period, without the trainees' names) and the audit trail, masked for
    `scope` like every reader of audit changes."""
    mask = AuditMask(scope)

    def label(value):
        return str(value) if value is not None else None

    person = {
        "medarbejder-id": supervisor.hr_id,
        "navn": supervisor.name,
        "kommune": str(supervisor.municipality),
        "arbejdsplads": label(supervisor.workplace),
        "faggruppe": supervisor.profession,
        "kvalifikation": label(supervisor.qualification),
        "kvalificeret dato": label(supervisor.qualified_on),
        "aktiv": supervisor.is_active,
        "oprettet": label(supervisor.created_at),
        "ændret": label(supervisor.updated_at),
    }
    placements = [
        {
            "type": p.get_kind_display(),
            "periode": p.period_number,
            "arbejdsplads": label(p.workplace),
            "fra": label(p.start_date),
            "til": label(p.end_date),
        }
        for p in supervisor.placements.select_related("workplace").order_by("start_date")
    ]
    audit = [
        _entry_row(e, mask) for e in _supervisor_audit(supervisor).order_by("occurred_at", "pk")
    ]
    return {"vejleder": [person], "vejledninger": placements, "revisionsspor": audit}
