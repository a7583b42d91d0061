"""Recording which task workers are alive, in PostgreSQL, so every host can tell.

Rule: a `manage.py task_worker` records its heartbeat (`WorkerHeartbeat`) before it claims
a task, refreshes it every TASK_RECOVERY_INTERVAL_SECONDS from a background thread, and
deletes it when it stops cleanly. A worker whose heartbeat is older than
TASK_WORKER_HEARTBEAT_TIMEOUT_SECONDS counts as dead (`recovery.py`), and a row not seen for
STALE_ROWS_KEPT is deleted. `/readyz` counts the live ones (`apps.monitoring.checks`).
"""

from __future__ import annotations

import datetime
import os

from django.conf import settings
from django.utils import timezone

from apps.scheduling.models import WorkerHeartbeat

STALE_ROWS_KEPT = datetime.timedelta(days=1)


def heartbeat_timeout() -> datetime.timedelta:
    return datetime.timedelta(seconds=settings.TASK_WORKER_HEARTBEAT_TIMEOUT_SECONDS)


def heartbeat_record(*, worker_id: str, host: str, now: datetime.datetime | None = None) -> None:
    """Say that worker `worker_id` (this process, on `host`) is alive now."""
    now = now or timezone.now()
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
    now = now or timezone.now()
    return WorkerHeartbeat.objects.filter(last_seen__gte=now - heartbeat_timeout())


def heartbeats_purge(*, now: datetime.datetime | None = None) -> int:
    """Delete the rows of workers not seen for STALE_ROWS_KEPT (killed, never back)."""
    now = now or timezone.now()
    deleted, _by_model = WorkerHeartbeat.objects.filter(
        last_seen__lt=now - STALE_ROWS_KEPT
    ).delete()
    return deleted
