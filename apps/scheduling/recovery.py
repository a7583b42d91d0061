"""Recovering background tasks whose worker process died (SIGKILL, out-of-memory kill,
power loss) while running them.

django-tasks-db 0.13 claims a task by setting it RUNNING and appending the worker's id to
`worker_ids`; a worker that dies leaves it RUNNING for ever (the library has no heartbeat
and no requeue). `manage.py task_worker` runs `db_worker` under a worker id that names
this host, the process id and the process's start time, so any worker on the same host can
tell a task whose worker is gone, and runs `tasks_recover_orphans` when it starts and every
TASK_RECOVERY_INTERVAL_SECONDS while it runs.

Rule: a RUNNING task whose last worker is a process on this host that no longer runs is
put back in the queue (READY, to be run again from the start) when its task may run twice
and has been tried fewer than TASK_RECOVERY_MAX_ATTEMPTS times; otherwise it is marked
FAILED with the reason, so it never shows as running for ever. Tasks listed in
TASK_RECOVERY_NEVER_REQUEUE are only marked FAILED: the import preview is one, because the
imports watchdog already fails its check with a Danish message to HR and deletes the file.
A task whose worker ran on another host (or an id this module did not make) is left alone:
this host cannot tell whether that process still runs.
"""

from __future__ import annotations

import logging
import os
import socket

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

logger = logging.getLogger(__name__)

ID_PREFIX = "w"
LOST_EXCEPTION = "apps.scheduling.recovery.WorkerLost"


class WorkerLost(Exception):
    """The process running the task stopped before the task finished."""


def process_started(pid: int) -> str:
    """When process `pid` started (clock ticks since boot, Linux), to tell it from a later
    process that got the same id; "" where the system does not say."""
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().rsplit(")", 1)[1].split()[19]
    except (OSError, IndexError):
        return ""


def this_host() -> str:
    return socket.gethostname()[:30]


def worker_id_for(pid: int | None = None) -> str:
    """The worker id of process `pid` (this one by default): `w:<host>:<pid>:<start>`,
    under db_worker's limit of 64 characters."""
    pid = pid or os.getpid()
    return f"{ID_PREFIX}:{this_host()}:{pid}:{process_started(pid)}"[:63]


def parse_worker_id(worker_id: str) -> tuple[str, int, str] | None:
    """(host, pid, start) of a worker id made by `worker_id_for`, None for any other id."""
    parts = worker_id.split(":")
    if len(parts) != 4 or parts[0] != ID_PREFIX or not parts[2].isdigit():
        return None
    return parts[1], int(parts[2]), parts[3]


def worker_gone(worker_id: str) -> bool:
    """True only when `worker_id` names a process on this host that no longer runs (or
    whose id now belongs to a later process)."""
    parsed = parse_worker_id(worker_id)
    if parsed is None:
        return False
    host, pid, started = parsed
    if host != this_host():
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False
    return bool(started) and process_started(pid) not in ("", started)


def tasks_recover_orphans(*, now=None) -> dict[str, int]:
    """Requeue or fail the RUNNING tasks whose worker on this host is gone (module rule).
    Returns how many were requeued and how many failed."""
    now = now or timezone.now()
    max_attempts = settings.TASK_RECOVERY_MAX_ATTEMPTS
    never = set(settings.TASK_RECOVERY_NEVER_REQUEUE)
    counts = {"requeued": 0, "failed": 0}
    candidates = DBTaskResult.objects.running().values_list("pk", "worker_ids")
    orphans = [pk for pk, ids in candidates if ids and worker_gone(ids[-1])]
    for pk in orphans:
        with transaction.atomic():
            task = (
                DBTaskResult.objects.select_for_update(skip_locked=True)
                .filter(pk=pk, status="RUNNING")
                .first()
            )
            if task is None or not task.worker_ids or not worker_gone(task.worker_ids[-1]):
                continue  # finished, or claimed again, meanwhile
            if task.task_path not in never and len(task.worker_ids) < max_attempts:
                task.status = "READY"
                task.started_at = None
                task.save(update_fields=["status", "started_at"])
                counts["requeued"] += 1
                outcome = "requeued"
            else:
                task.status = "FAILED"
                task.finished_at = now
                task.exception_class_path = LOST_EXCEPTION
                task.traceback = (
                    f"WorkerLost: worker {task.worker_ids[-1]} stopped while running "
                    f"this task (attempt {len(task.worker_ids)})"
                )
                task.save(
                    update_fields=["status", "finished_at", "exception_class_path", "traceback"]
                )
                counts["failed"] += 1
                outcome = "failed"
        logger.warning(
            "Task %s (%s) lost its worker %s: %s",
            task.pk,
            task.task_path,
            task.worker_ids[-1],
            outcome,
        )
    return counts
