"""Recording which task workers are alive, in PostgreSQL, so every host can tell.

Rule: a `manage.py task_worker` records its heartbeat (`WorkerHeartbeat`) before it claims
a task, refreshes it every TASK_RECOVERY_INTERVAL_SECONDS from a background thread, and
deletes it when it stops cleanly. A worker whose heartbeat is older than
TASK_WORKER_HEARTBEAT_TIMEOUT_SECONDS counts as dead (`recovery.py`), and a row not seen for
STALE_ROWS_KEPT is deleted. Times are the database server's (`database_now`), never a
worker host's. `/readyz` counts the live ones (`apps.monitoring.checks`).
"""

from __future__ import annotations

import datetime
import os

from django.conf import settings
from django.db import connection
from django.utils import timezone

from apps.scheduling.models import WorkerHeartbeat

STALE_ROWS_KEPT = datetime.timedelta(days=1)


def database_now() -> datetime.datetime:
    """The database server's clock: heartbeats are written and judged by this one clock, so
    hosts whose clocks disagree never take a live worker for a dead one."""
    if connection.vendor != "postgresql":
        return timezone.now()
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement_timestamp()")
        return cursor.fetchone()[0]


def heartbeat_timeout() -> datetime.timedelta:
    return datetime.timedelta(seconds=settings.TASK_WORKER_HEARTBEAT_TIMEOUT_SECONDS)


def heartbeat_record(*, worker_id: str, host: str, now: datetime.datetime | None = None) -> None:
    """Say that worker `worker_id` (this process, on `host`) is alive now (the database's
    clock unless `now` is given)."""
    now = now or database_now()
    WorkerHeartbeat.objects.update_or_create(
        worker_id=worker_id,
        defaults={"last_seen": now},
        create_defaults={
            "host": host,
            "pid": os.getpid(),
            "started_at": now,
            "last_seen": now,
        },
    )


def heartbeat_stop(*, worker_id: str) -> None:
    """Remove a worker that stops cleanly: it runs nothing any more."""
    WorkerHeartbeat.objects.filter(worker_id=worker_id).delete()


def heartbeats_alive(*, now: datetime.datetime | None = None):
    """The workers seen within the heartbeat timeout, on any host."""
    now = now or database_now()
    return WorkerHeartbeat.objects.filter(last_seen__gte=now - heartbeat_timeout())


def heartbeats_purge(*, now: datetime.datetime | None = None) -> int:
    """Delete the rows of workers not seen for STALE_ROWS_KEPT (killed, never back)."""
    now = now or database_now()
    deleted, _by_model = WorkerHeartbeat.objects.filter(
        last_seen__lt=now - STALE_ROWS_KEPT
    ).delete()
    return deleted
