"""The nightly maintenance chain, kept alive by the task worker itself (no cron needed).

`nightly_maintenance` first books its own next run (the next night at NIGHTLY_HOUR, local
time), then queues the night's work: anonymisation after the retention period, the purge
of old look-up audit events, of old imports' row details and of expired export files,
the day's follow-up reminders (apps.strategy.tasks), and a recomputation of every
municipality's KPI measurements and absence warnings (apps.alerts).
Booking the next run first means one failing job never breaks the chain. Booking also
restarts the imports watchdog chain (`apps.imports.tasks.watch_import_checks`) if it broke.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import transaction
from django.tasks import task
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from apps.alerts.tasks import recompute_absence_flags
from apps.core.tasks import purge_audit_task, purge_export_jobs_task
from apps.imports.tasks import purge_import_rows_task, watch_schedule
from apps.kpis.tasks import recompute_municipality
from apps.organisation.models import Municipality
from apps.privacy.tasks import apply_retention_task
from apps.strategy.tasks import send_follow_up_reminders_task

TASK_PATH = "apps.scheduling.nightly.nightly_maintenance"


def next_run(now: datetime.datetime | None = None) -> datetime.datetime:
    """The next NIGHTLY_HOUR o'clock, Copenhagen time, strictly after `now`."""
    now = timezone.localtime(now or timezone.now())
    run = now.replace(hour=settings.NIGHTLY_HOUR, minute=0, second=0, microsecond=0)
    if run <= now:
        run += datetime.timedelta(days=1)
    return run


def pending_runs():
    """Booked, not yet started nightly runs."""
    return DBTaskResult.objects.filter(task_path=TASK_PATH, status="READY")


def nightly_schedule(*, now: datetime.datetime | None = None) -> datetime.datetime:
    """Book the next nightly run unless one is already booked; returns when it runs.

    Rule: at most one booked run at a time, so calling this on every start is harmless.
    Also books the imports watchdog (every minute) if it is not booked.
    """
    watch_schedule()
    with transaction.atomic():
        booked = pending_runs().order_by("run_after").first()
        if booked is not None:
            return booked.run_after
        run_after = next_run(now)
        nightly_maintenance.using(run_after=run_after).enqueue()
        return run_after


@task
def nightly_maintenance() -> dict:
    """Book tomorrow's run, then queue tonight's retention, purges and KPI recompute."""
    nightly_schedule()
    apply_retention_task.enqueue()
    purge_audit_task.enqueue()
    purge_import_rows_task.enqueue()
    purge_export_jobs_task.enqueue()
    send_follow_up_reminders_task.enqueue()
    municipality_ids = list(Municipality.objects.order_by("code").values_list("id", flat=True))
    for municipality_id in municipality_ids:
        recompute_municipality.enqueue(municipality_id)
        recompute_absence_flags.enqueue(municipality_id)
    return {"recomputed_municipalities": len(municipality_ids)}
