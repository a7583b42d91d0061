"""Data-protection services: anonymising trainees after the retention period, and the
person-level reports an administrator or coordinator produces (look-ups, full export)."""

from __future__ import annotations

import datetime
import secrets
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from apps.alerts.models import AbsenceFlagAction
from apps.core.audit import REDACTED, audit_record, audit_redact
from apps.core.formatting import format_date
from apps.core.models import AuditEntry
from apps.organisation.models import Municipality
from apps.trainees.models import Absence, Placement, Trainee

# The trainee's identifying fields; everything else (programme, department, dates, status,
# reason, hiring) is kept so counts and KPIs are unchanged after anonymisation.
PERSONAL_FIELDS = ("hr_id", "first_name", "last_name", "personal_guide", "dropout_note")
ANONYMISED_LABEL = "Anonymiseret elev"


def _years_before(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def anonymous_hr_id() -> str:
    """A non-identifying replacement for the HR id, unique enough to keep the constraint."""
    return f"ANON-{secrets.token_hex(8).upper()}"


@dataclass
class RetentionItem:
    municipality: str
    trainee_id: int
    hr_id: str
    end_date: datetime.date
    retention_years: int


@dataclass
class RetentionReport:
    today: datetime.date
    dry_run: bool
    items: list[RetentionItem] = field(default_factory=list)

    def lines(self) -> list[str]:
        verb = "anonymiseres" if self.dry_run else "anonymiseret"
        lines = [
            f"{item.municipality}: elev {item.hr_id} (id {item.trainee_id}, slut "
            f"{format_date(item.end_date)}, {item.retention_years} år) {verb}"
            for item in self.items
        ]
        summary = "ville blive anonymiseret" if self.dry_run else "anonymiseret"
        lines.append(f"{len(self.items)} elever {summary} pr. {format_date(self.today)}.")
        return lines


def retention_due(*, today: datetime.date):
    """Trainees whose education ended at least their municipality's `retention_years` before
    `today`, in municipalities that have switched retention on, not yet anonymised.

    Rule: nothing is anonymised where `Municipality.retention_enabled` is off (the default).
    """
    condition = Q(pk__in=[])
    for municipality in Municipality.objects.filter(retention_enabled=True):
        cutoff = _years_before(today, municipality.retention_years)
        condition |= Q(municipality=municipality, end_date__lte=cutoff)
    return (
        Trainee.objects.filter(condition, anonymised_at__isnull=True, end_date__isnull=False)
        .select_related("municipality")
        .order_by("municipality__name", "end_date", "pk")
    )


def trainee_anonymise(*, trainee: Trainee, actor=None, now: datetime.datetime | None = None):
    """Remove what identifies the trainee: names, personal guide and dropout note are blanked,
    the HR id becomes a random token, `anonymised_at` is set, and the same values are blanked
    in the audit trail of the trainee, their placements and absences.

    The notes of the trainee's absence warnings ("sat i gang") are blanked too.

    Rule: aggregate fields are untouched, so every count and KPI stays the same.
    """
    now = now or timezone.now()
    with transaction.atomic():
        locked = Trainee.objects.select_for_update().get(pk=trainee.pk)
        locked.hr_id = anonymous_hr_id()
        locked.first_name = ""
        locked.last_name = ""
        locked.personal_guide = ""
        locked.dropout_note = ""
        locked.anonymised_at = now
        locked.version += 1
        locked.save(update_fields=[*PERSONAL_FIELDS, "anonymised_at", "version", "updated_at"])
        # Notes on absence warnings are free text about the person.
        AbsenceFlagAction.objects.filter(flag__trainee=locked).update(note=REDACTED)
        related = (
            Q(object_type=Trainee._meta.label_lower, object_id=str(locked.pk))
            | Q(
                object_type=Placement._meta.label_lower,
                object_id__in=[str(pk) for pk in locked.placements.values_list("pk", flat=True)],
            )
            | Q(
                object_type=Absence._meta.label_lower,
                object_id__in=[str(pk) for pk in locked.absences.values_list("pk", flat=True)],
            )
        )
        audit_redact(
            entries=AuditEntry.objects.filter(related),
            fields=PERSONAL_FIELDS,
            object_repr=ANONYMISED_LABEL,
        )
        audit_record(
            actor=actor,
            action="privacy.trainee.anonymised",
            obj=locked,
            context={"end_date": locked.end_date.isoformat() if locked.end_date else None},
        )
    return locked


def retention_apply(*, today: datetime.date | None = None, dry_run: bool = False):
    """Anonymise every trainee that `retention_due` lists; with `dry_run`, only report."""
    today = today or timezone.localdate()
    report = RetentionReport(today=today, dry_run=dry_run)
    for trainee in retention_due(today=today):
        report.items.append(
            RetentionItem(
                municipality=trainee.municipality.name,
                trainee_id=trainee.pk,
                hr_id=trainee.hr_id,
                end_date=trainee.end_date,
                retention_years=trainee.municipality.retention_years,
            )
        )
        if not dry_run:
            trainee_anonymise(trainee=trainee)
    return report
