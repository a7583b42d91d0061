"""The nightly chain is booked once, runs through the real task worker, and books itself
again: retention, the look-up audit purge and the KPI recompute happen without cron."""

import datetime
import io
import zoneinfo

import pytest
from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from apps.alerts.models import AlertSettings
from apps.kpis.models import MetricFact
from apps.scheduling.nightly import next_run, nightly_maintenance, nightly_schedule, pending_runs
from apps.trainees.choices import TraineeStatus
from tests.factories import TraineeFactory

pytestmark = pytest.mark.django_db
CPH = zoneinfo.ZoneInfo("Europe/Copenhagen")


@pytest.fixture
def run_worker(monkeypatch):
    """Drain the queue with the real `db_worker --batch` (its close_old_connections() call
    would close the test's connection inside the test transaction, so it is disabled)."""
    from django_tasks_db.management.commands import db_worker

    monkeypatch.setattr(db_worker, "close_old_connections", lambda: None)
    return lambda: call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)


def test_the_next_run_is_the_coming_night_at_two_copenhagen_time():
    evening = datetime.datetime(2026, 11, 22, 21, 30, tzinfo=CPH)
    small_hours = datetime.datetime(2026, 11, 23, 1, 15, tzinfo=CPH)
    assert next_run(evening) == datetime.datetime(2026, 11, 23, 2, 0, tzinfo=CPH)
    assert next_run(small_hours) == datetime.datetime(2026, 11, 23, 2, 0, tzinfo=CPH)


def test_booking_twice_books_one_run():
    first = nightly_schedule()
    second = nightly_schedule()
    assert first == second
    assert pending_runs().count() == 1
    assert first > timezone.now()


def test_the_command_says_when_the_next_run_is():
    out = io.StringIO()
    call_command("schedule_nightly", stdout=out)
    assert "Næste natlige kørsel:" in out.getvalue() and "kl. 02:00" in out.getvalue()
    assert pending_runs().count() == 1


def test_a_night_runs_retention_purge_and_recompute_and_books_the_next(
    run_worker, municipality, elderly
):
    municipality.retention_enabled = True
    municipality.retention_years = 5
    municipality.save()
    old = TraineeFactory(
        department=elderly,
        first_name="Gammel",
        start_date=datetime.date(2015, 8, 1),
        end_date=datetime.date(2018, 6, 30),
        status=TraineeStatus.COMPLETED,
    )
    nightly_maintenance.enqueue()
    run_worker()

    old.refresh_from_db()
    assert old.anonymised_at is not None and old.first_name != "Gammel"
    assert MetricFact.objects.filter(municipality=municipality).exists()
    booked = pending_runs().get()
    assert booked.run_after > timezone.now()
    finished = set(
        DBTaskResult.objects.filter(status="SUCCESSFUL").values_list("task_path", flat=True)
    )
    assert {
        "apps.scheduling.nightly.nightly_maintenance",
        "apps.privacy.tasks.apply_retention_task",
        "apps.core.tasks.purge_audit_task",
        "apps.imports.tasks.purge_import_rows_task",
        "apps.kpis.tasks.recompute_municipality",
        "apps.strategy.tasks.send_follow_up_reminders_task",
        "apps.alerts.tasks.recompute_absence_flags",
    } <= finished
    assert AlertSettings.objects.get(municipality=municipality).absence_computed_at is not None
