"""Writes of the alerts app: recomputing the absence warnings, marking a flag "sat i gang",
and a coordinator's threshold. Every write is atomic and audited."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.alerts.models import NOTE_MAX_LENGTH as NOTE_MAX
from apps.alerts.models import (
    AbsenceFlag,
    AbsenceFlagAction,
    AlertSettings,
    CloseReason,
    FlagStatus,
)
from apps.alerts.selectors import (
    WINDOW_MONTHS,
    above_threshold,
    absence_window,
    add_months,
    window_totals,
)
from apps.core.audit import audit_entry, audit_record
from apps.core.models import AuditEntry
from apps.trainees.choices import TraineeStatus
from apps.trainees.models import Absence, Trainee

RATE_PLACES = Decimal("0.01")


@dataclass(frozen=True)
class RecomputeResult:
    opened: int
    updated: int
    closed: int
    window: tuple | None


def _settings_locked(municipality_id: int) -> AlertSettings:
    """The municipality's settings row, created with the defaults, locked for this
    transaction so two recomputes of one municipality run one after the other."""
    AlertSettings.objects.get_or_create(municipality_id=municipality_id)
    return AlertSettings.objects.select_for_update().get(municipality_id=municipality_id)


def _months_of(rows: list[dict], window) -> list[dict]:
    by_month = {r["month"]: r for r in rows}
    months = []
    for i in range(WINDOW_MONTHS):
        month = add_months(window[0], i)
        row = by_month.get(month)
        months.append(
            {
                "month": month.isoformat(),
                "sick": None if row is None else str(row["sick_days"]),
                "planned": None if row is None else str(row["planned_days"]),
            }
        )
    return months


def absence_flags_recompute(*, municipality_id: int, now=None) -> RecomputeResult:
    """Bring the municipality's flags in line with its absence rows and threshold.

    Rules: a trainee who now meets the rule keeps their current flag (its figures and months
    updated, its status and notes kept) or gets a new one; a current flag whose trainee no
    longer meets it is closed with the reason (below the threshold, no longer active, no rows
    in the window), never deleted. Opening and closing are audited as the system.
    A fixed number of queries whatever the number of trainees.
    """
    now = now or timezone.now()
    with transaction.atomic():
        settings_row = _settings_locked(municipality_id)
        threshold = settings_row.absence_threshold
        window = absence_window(municipality_id)
        flagged: dict[int, dict] = {}
        if window is not None:
            flagged = {
                r["trainee_id"]: r
                for r in above_threshold(window_totals(municipality_id, window), threshold)
            }
        months: dict[int, list] = {pk: [] for pk in flagged}
        if flagged:
            for row in Absence.objects.filter(
                trainee_id__in=list(flagged), month__gte=window[0], month__lte=window[1]
            ).values("trainee_id", "month", "sick_days", "planned_days"):
                months[row["trainee_id"]].append(row)
        current = {
            f.trainee_id: f
            for f in AbsenceFlag.objects.filter(municipality_id=municipality_id).current()
        }
        new, changed, closing = [], [], []
        for trainee_id, totals in flagged.items():
            values = {
                "window_start": window[0],
                "window_end": window[1],
                "sick_days": totals["sick"],
                "planned_days": totals["planned"],
                "rate": (totals["sick"] * 100 / totals["planned"]).quantize(RATE_PLACES),
                "threshold": threshold,
                "months": _months_of(months[trainee_id], window),
                "computed_at": now,
            }
            flag = current.pop(trainee_id, None)
            if flag is None:
                new.append(
                    AbsenceFlag(
                        municipality_id=municipality_id,
                        trainee_id=trainee_id,
                        opened_at=now,
                        **values,
                    )
                )
            else:
                for name, value in values.items():
                    setattr(flag, name, value)
                changed.append(flag)
        if current:
            statuses = dict(
                Trainee.objects.filter(pk__in=list(current)).values_list("pk", "status")
            )
            with_rows = set()
            if window is not None:
                with_rows = set(
                    window_totals(municipality_id, window)
                    .filter(trainee_id__in=list(current))
                    .values_list("trainee_id", flat=True)
                )
            for trainee_id, flag in current.items():
                if statuses.get(trainee_id) != TraineeStatus.ACTIVE:
                    reason = CloseReason.INACTIVE
                elif trainee_id not in with_rows:
                    reason = CloseReason.NO_ROWS
                else:
                    reason = CloseReason.BELOW
                flag.was = flag.status
                flag.status, flag.closed_at, flag.close_reason = FlagStatus.CLOSED, now, reason
                flag.computed_at = now
                flag.version += 1
                closing.append(flag)
        AbsenceFlag.objects.bulk_create(new)
        AbsenceFlag.objects.bulk_update(
            [*changed, *closing],
            [
                "window_start",
                "window_end",
                "sick_days",
                "planned_days",
                "rate",
                "threshold",
                "months",
                "computed_at",
                "status",
                "closed_at",
                "close_reason",
                "version",
            ],
        )
        AuditEntry.objects.bulk_create(
            [
                audit_entry(
                    actor=None,
                    action="alerts.absenceflag.opened",
                    obj=f,
                    changes={"rate": [None, f.rate]},
                    context={"trainee_id": f.trainee_id, "threshold": str(threshold)},
                )
                for f in new
            ]
            + [
                audit_entry(
                    actor=None,
                    action="alerts.absenceflag.closed",
                    obj=f,
                    changes={"status": [f.was, FlagStatus.CLOSED]},
                    context={"trainee_id": f.trainee_id, "reason": f.close_reason},
                )
                for f in closing
            ]
        )
        settings_row.absence_window_start = window[0] if window else None
        settings_row.absence_window_end = window[1] if window else None
        settings_row.absence_computed_at = now
        settings_row.save(
            update_fields=[
                "absence_window_start",
                "absence_window_end",
                "absence_computed_at",
                "updated_at",
            ]
        )
    return RecomputeResult(len(new), len(changed), len(closing), window)


def absence_flag_set_in_motion(
    *, flag: AbsenceFlag, actor, note: str, expected_version: int
) -> AbsenceFlagAction:
    """Record that something was set in motion about `flag` (a talk held, the personal guide
    told); the flag's status becomes "Sat i gang". Refused with a Danish message for an
    empty note, a closed flag or a stale version (someone else wrote in between)."""
    note = (note or "").strip()
    if not note:
        raise ValidationError({"note": _("Skriv kort, hvad der er sat i gang.")})
    if len(note) > NOTE_MAX:
        raise ValidationError({"note": _("Noten må højst være %(max)s tegn.") % {"max": NOTE_MAX}})
    with transaction.atomic():
        locked = AbsenceFlag.objects.select_for_update().get(pk=flag.pk)
        if locked.version != expected_version:
            raise ValidationError(
                _(
                    "Varslet er ændret, siden du åbnede siden (af en anden bruger eller en ny "
                    "beregning). Se de nye oplysninger, og skriv noten igen."
                )
            )
        if locked.closed_at is not None:
            raise ValidationError(_("Varslet er lukket, så der kan ikke skrives noter på det."))
        action = AbsenceFlagAction(
            municipality_id=locked.municipality_id, flag=locked, note=note, created_by=actor
        )
        action.full_clean()
        action.save()
        old_status = locked.status
        locked.status = FlagStatus.IN_MOTION
        locked.version += 1
        locked.full_clean()
        locked.save(update_fields=["status", "version"])
        audit_record(
            actor=actor,
            action="alerts.absenceflag.set_in_motion",
            obj=locked,
            # The note itself stays on the action (blanked when the trainee is anonymised);
            # the audit trail points to it.
            changes={"status": [old_status, locked.status]},
            context={"trainee_id": locked.trainee_id, "action_id": action.pk},
        )
    flag.status, flag.version = locked.status, locked.version
    return action


def alert_settings_for(municipality_id: int) -> AlertSettings:
    """The municipality's settings; unsaved defaults until a coordinator or a recompute
    writes them (a page view writes nothing)."""
    found = AlertSettings.objects.filter(municipality_id=municipality_id).first()
    return found or AlertSettings(municipality_id=municipality_id)


def alert_settings_update(
    *, settings_row: AlertSettings, actor, absence_threshold, expected_version: int
) -> RecomputeResult:
    """A coordinator sets the municipality's threshold; the flags are recomputed with it at
    once. Refused with a Danish message outside 0–100 % or on a stale version."""
    with transaction.atomic():
        locked = _settings_locked(settings_row.municipality_id)
        if locked.version != expected_version:
            raise ValidationError(
                _("Indstillingerne er ændret af en anden, siden du åbnede siden. Prøv igen.")
            )
        old = locked.absence_threshold
        locked.absence_threshold = absence_threshold
        locked.full_clean(exclude=["municipality"])
        locked.version += 1
        locked.save(update_fields=["absence_threshold", "version", "updated_at"])
        audit_record(
            actor=actor,
            action="alerts.alertsettings.updated",
            obj=locked,
            changes={"absence_threshold": [old, locked.absence_threshold]},
        )
        result = absence_flags_recompute(municipality_id=locked.municipality_id)
    return result
