"""The absence warning rule of DOMAIN.md, reproduced from absence rows: an active trainee is
flagged when Σ sick ÷ Σ planned over the municipality's three most recent absence months is
above the threshold (default 10 %)."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from apps.alerts.models import AbsenceFlag, AlertSettings, CloseReason, FlagStatus
from apps.alerts.services import absence_flag_set_in_motion, absence_flags_recompute
from apps.core.models import AuditEntry
from apps.trainees.choices import TraineeStatus
from apps.trainees.models import DropoutReason
from tests.alerts.conftest import AUG, OCT, SEP, absence
from tests.factories import TraineeFactory

pytestmark = pytest.mark.django_db
JUL, NOV = datetime.date(2026, 7, 1), datetime.date(2026, 11, 1)


def _flagged(municipality):
    return {
        f.trainee.hr_id: f
        for f in AbsenceFlag.objects.filter(municipality=municipality, closed_at__isnull=True)
    }


def test_the_rule_over_the_three_latest_months_with_its_edge_cases(
    municipality, other_municipality, elderly, other_department
):
    t = {
        name: TraineeFactory(department=elderly, hr_id=name)
        for name in ("exact", "zero_month", "one_month", "old_rows", "above", "all_zero")
    }
    completed = TraineeFactory(
        department=elderly,
        hr_id="completed",
        status=TraineeStatus.COMPLETED,
        end_date=datetime.date(2026, 10, 31),
    )
    # Exactly 10 %: 6 of 60 days is not above the threshold.
    for month in (AUG, SEP, OCT):
        absence(t["exact"], month, 2, 20)
    # A month with 0 planned days adds nothing: 3 ÷ 20 = 15 % (not a mean of monthly rates).
    absence(t["zero_month"], AUG, 0, 0)
    absence(t["zero_month"], SEP, 3, 20)
    # Rows in only one of the three months: only that month counts, 3 ÷ 20 = 15 %.
    absence(t["one_month"], OCT, 3, 20)
    # A month before the window does not count: 1 ÷ 20 = 5 % although July was 100 %.
    absence(t["old_rows"], JUL, 20, 20)
    absence(t["old_rows"], OCT, 1, 20)
    # Just above: 6.01 ÷ 60 = 10.02 %.
    absence(t["above"], AUG, 2, 20)
    absence(t["above"], SEP, 2, 20)
    absence(t["above"], OCT, "2.01", 20)
    # No planned days at all: no rate, no flag.
    absence(t["all_zero"], SEP, 0, 0)
    # A completed trainee is not flagged however high the absence.
    absence(completed, OCT, 10, 20)
    # Another municipality's later month does not move this one's window.
    absence(TraineeFactory(department=other_department), NOV, 10, 20)

    result = absence_flags_recompute(municipality_id=municipality.pk)

    assert result.window == (AUG, OCT)
    flags = _flagged(municipality)
    assert set(flags) == {"zero_month", "one_month", "above"}
    assert flags["zero_month"].rate == Decimal("15.00")
    assert (flags["zero_month"].sick_days, flags["zero_month"].planned_days) == (3, 20)
    assert flags["above"].rate == Decimal("10.02")
    assert flags["one_month"].months == [
        {"month": "2026-08-01", "sick": None, "planned": None},
        {"month": "2026-09-01", "sick": None, "planned": None},
        {"month": "2026-10-01", "sick": "3.00", "planned": "20.00"},
    ]
    assert all(f.threshold == Decimal("10.00") for f in flags.values())
    settings_row = AlertSettings.objects.get(municipality=municipality)
    assert (settings_row.absence_window_start, settings_row.absence_window_end) == (AUG, OCT)


def test_a_new_month_moves_the_window_and_closes_flags_that_no_longer_hold(
    municipality, elderly, hr
):
    high = TraineeFactory(department=elderly, hr_id="high")
    leaving = TraineeFactory(department=elderly, hr_id="leaving")
    for trainee in (high, leaving):
        absence(trainee, AUG, 10, 20)
    absence_flags_recompute(municipality_id=municipality.pk)
    flag = AbsenceFlag.objects.get(trainee=high)
    absence_flag_set_in_motion(flag=flag, actor=hr, note="Samtale holdt", expected_version=1)

    # A later month: the window is now Sep–Nov; `high` is still above and keeps the flag,
    # its status and notes; `leaving` dropped out and is closed, not deleted.
    absence(high, NOV, 5, 20)
    leaving.status = TraineeStatus.DROPPED_OUT
    leaving.dropout_reason = DropoutReason.objects.first()
    leaving.end_date = datetime.date(2026, 11, 15)
    leaving.save()
    result = absence_flags_recompute(municipality_id=municipality.pk)

    assert (result.opened, result.updated, result.closed) == (0, 1, 1)
    flag.refresh_from_db()
    assert (flag.status, flag.rate, flag.window_end) == (FlagStatus.IN_MOTION, 25, NOV)
    assert flag.actions.get().note == "Samtale holdt"
    closed = AbsenceFlag.objects.get(trainee=leaving)
    assert (closed.status, closed.close_reason) == (FlagStatus.CLOSED, CloseReason.INACTIVE)
    assert AuditEntry.objects.filter(
        action="alerts.absenceflag.closed", object_id=str(closed.pk)
    ).exists()

    # Better months close it; worse ones later open a new flag, with its own history.
    for month in (SEP, OCT):
        absence(high, month, 0, 20)
    absence_flags_recompute(municipality_id=municipality.pk)
    flag.refresh_from_db()
    assert (flag.status, flag.close_reason) == (FlagStatus.CLOSED, CloseReason.BELOW)
    high.absences.filter(month=NOV).update(sick_days=15)
    absence_flags_recompute(municipality_id=municipality.pk)
    assert AbsenceFlag.objects.filter(trainee=high).count() == 2
    assert AbsenceFlag.objects.get(trainee=high, closed_at__isnull=True).status == FlagStatus.OPEN


def test_the_threshold_is_the_municipalitys_own(municipality, elderly):
    trainee = TraineeFactory(department=elderly)
    absence(trainee, OCT, 3, 20)  # 15 %
    AlertSettings.objects.create(municipality=municipality, absence_threshold=Decimal(15))
    absence_flags_recompute(municipality_id=municipality.pk)
    assert not AbsenceFlag.objects.exists()
    AlertSettings.objects.filter(municipality=municipality).update(absence_threshold=12)
    absence_flags_recompute(municipality_id=municipality.pk)
    assert AbsenceFlag.objects.get().threshold == 12


def _queries(municipality_id) -> int:
    with CaptureQueriesContext(connection) as ctx:
        absence_flags_recompute(municipality_id=municipality_id)
    return len(ctx.captured_queries)


def test_the_recompute_takes_the_same_queries_for_few_and_many_trainees(municipality, elderly):
    def add(n):
        for _ in range(n):
            absence(TraineeFactory(department=elderly), OCT, 5, 20)

    add(2)
    absence_flags_recompute(municipality_id=municipality.pk)  # creates the settings row
    AbsenceFlag.objects.all().delete()
    first = _queries(municipality.pk)  # opens 2
    add(20)
    AbsenceFlag.objects.all().delete()
    assert _queries(municipality.pk) == first  # opens 22


def test_anonymising_a_trainee_blanks_the_notes_on_their_warnings(municipality, elderly, hr):
    from apps.core.audit import REDACTED
    from apps.privacy.services import trainee_anonymise

    trainee = TraineeFactory(department=elderly)
    absence(trainee, OCT, 5, 20)
    absence_flags_recompute(municipality_id=municipality.pk)
    flag = AbsenceFlag.objects.get(trainee=trainee)
    note = "Samtale med Mette om hendes ryg"
    absence_flag_set_in_motion(flag=flag, actor=hr, note=note, expected_version=1)
    entry = AuditEntry.objects.get(action="alerts.absenceflag.set_in_motion")
    assert note not in str(entry.changes) and note not in str(entry.context)

    trainee_anonymise(trainee=trainee)

    assert flag.actions.get().note == REDACTED
