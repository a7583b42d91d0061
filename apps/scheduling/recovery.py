"""Recovering background tasks whose worker process died (SIGKILL, out-of-memory kill,
power loss, a host that went away) while running them.

django-tasks-db 0.13 claims a task by setting it RUNNING and appending the worker's id to
`worker_ids`; a worker that dies leaves it RUNNING for ever (the library has no heartbeat
and no requeue). `manage.py task_worker` runs `db_worker` under a worker id that names
its host, the process id and the process's start time, records a heartbeat in PostgreSQL
(`heartbeats.py`), and runs `tasks_recover_orphans` when it starts and every
TASK_RECOVERY_INTERVAL_SECONDS while it runs, so any worker on any host recovers.

Rule: a RUNNING task is orphaned when its last worker is a `task_worker` that is gone:
on this host, a process that no longer runs (or whose id now belongs to a later process;
/proc decides at once); on another host, a worker whose heartbeat is older than
TASK_WORKER_HEARTBEAT_TIMEOUT_SECONDS (or has none, once the task has been running that
long). An orphan is put back in the queue (READY, to be run again from the start) when
its task may run twice and has been tried fewer than TASK_RECOVERY_MAX_ATTEMPTS times;
otherwise it is marked FAILED with the reason, so it never shows as running for ever.
Tasks listed in TASK_RECOVERY_NEVER_REQUEUE are only marked FAILED. Every task is re-read
under `select_for_update(skip_locked=True)` before it is changed, so two hosts recovering
at once never requeue one task twice. A task claimed under an id this module did not make
(a plain `db_worker`) is left alone: nothing says whether that process still runs.
"""

from __future__ import annotations

import datetime
import hashlib
import logging
import os
import socket

from django.conf import settings
from django.db import transaction
from django_tasks_db.models import DBTaskResult

from apps.core.processes import pid_alive, process_started
from apps.scheduling.heartbeats import database_now, heartbeat_timeout, heartbeats_purge
from apps.scheduling.models import WorkerHeartbeat

logger = logging.getLogger(__name__)

ID_PREFIX = "w"
LOST_EXCEPTION = "apps.scheduling.recovery.WorkerLost"


class WorkerLost(Exception):
    """The process running the task stopped before the task finished."""


def this_host() -> str:
    """This host's name as worker ids carry it: up to 30 characters, a long name shortened
    with a hash of the whole, so two hosts whose names share a long prefix never match."""
    name = socket.gethostname().replace(":", "-")
    if len(name) <= 30:
        return name
    return f"{name[:21]}~{hashlib.blake2b(name.encode(), digest_size=4).hexdigest()}"


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


def local_worker_gone(pid: int, started: str) -> bool:
    """Whether process `pid` of this host (started at `started`) no longer runs."""
    return not pid_alive(pid, started)


def worker_gone(
    worker_id: str,
    *,
    last_seen: datetime.datetime | None,
    running_since: datetime.datetime | None,
    now: datetime.datetime,
) -> bool:
    """Whether the worker `worker_id` that runs a task (since `running_since`) is gone
    (module rule); `last_seen` is its heartbeat, None when it has none."""
    parsed = parse_worker_id(worker_id)
    if parsed is None:
        return False
    host, pid, started = parsed
    if host == this_host():
        return local_worker_gone(pid, started)
    cutoff = now - heartbeat_timeout()
    if last_seen is not None:
        return last_seen < cutoff
    return running_since is not None and running_since < cutoff


def _last_seen(worker_ids: set[str]) -> dict[str, datetime.datetime]:
    return dict(
        WorkerHeartbeat.objects.filter(worker_id__in=worker_ids).values_list(
            "worker_id", "last_seen"
        )
    )


def tasks_recover_orphans(*, now: datetime.datetime | None = None) -> dict[str, int]:
    """Requeue or fail the RUNNING tasks whose worker is gone, on any host (module rule),
    and delete heartbeats not seen for a day. Returns how many were requeued and failed.
    `now` is the database's clock, as the heartbeats' is."""
    now = now or database_now()
    max_attempts = settings.TASK_RECOVERY_MAX_ATTEMPTS
    never = set(settings.TASK_RECOVERY_NEVER_REQUEUE)
    counts = {"requeued": 0, "failed": 0}
    candidates = [
        (pk, ids[-1], started_at)
        for pk, ids, started_at in DBTaskResult.objects.running().values_list(
            "pk", "worker_ids", "started_at"
        )
        if ids
    ]
    seen = _last_seen({worker_id for _pk, worker_id, _started in candidates})
    orphans = [
        (pk, worker_id)
        for pk, worker_id, started_at in candidates
        if worker_gone(worker_id, last_seen=seen.get(worker_id), running_since=started_at, now=now)
    ]
    for pk, worker_id in orphans:
        with transaction.atomic():
            task = (
                DBTaskResult.objects.select_for_update(skip_locked=True)
                .filter(pk=pk, status="RUNNING")
                .first()
            )
            if task is None or not task.worker_ids or task.worker_ids[-1] != worker_id:
                continue  # finished, claimed again, or being recovered by another worker
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
                    f"WorkerLost: worker {worker_id} stopped while running "
                    f"this task (attempt {len(task.worker_ids)})"
                )
                task.save(
                    update_fields=["status", "finished_at", "exception_class_path", "traceback"]
                )
                counts["failed"] += 1
                outcome = "failed"
        logger.warning(
            "Task %s (%s) lost its worker %s: %s", task.pk, task.task_path, worker_id, outcome
        )
    heartbeats_purge(now=now)
    return counts
