"""`manage.py task_worker`: django-tasks-db's `db_worker` (same options) that can recover
tasks whose worker died, on any host: it runs under a worker id naming this host and
process (`apps.scheduling.recovery.worker_id_for`), records its heartbeat in PostgreSQL
before it claims a task and then every TASK_RECOVERY_INTERVAL_SECONDS
(`apps.scheduling.heartbeats`), and at start and after each heartbeat puts back in the
queue the tasks a dead worker left RUNNING. It deletes its heartbeat when it stops cleanly.
Never reloads on code changes (the systemd unit restarts it instead)."""

from __future__ import annotations

import logging
import socket
import threading

from django.conf import settings
from django.db import close_old_connections, connection
from django_tasks_db.management.commands.db_worker import Command as DbWorkerCommand

from apps.scheduling.heartbeats import heartbeat_record, heartbeat_stop
from apps.scheduling.recovery import tasks_recover_orphans, worker_id_for

logger = logging.getLogger(__name__)


def _beat(worker_id: str) -> None:
    try:
        heartbeat_record(worker_id=worker_id, host=socket.gethostname()[:255])
    except Exception:
        logger.exception("Recording the worker's heartbeat failed")


def _recover_once() -> None:
    try:
        counts = tasks_recover_orphans()
        if any(counts.values()):
            logger.warning("Recovered tasks of stopped workers: %s", counts)
    except Exception:
        logger.exception("Recovering tasks of stopped workers failed")


def _beat_and_recover_forever(stop: threading.Event, worker_id: str, interval: float) -> None:
    """The background thread: its own database connection, closed after each round. The
    heartbeat goes first, so a slow recovery round never makes this worker look dead."""
    while not stop.wait(interval):
        close_old_connections()
        _beat(worker_id)
        _recover_once()
        connection.close()


class Command(DbWorkerCommand):
    help = "Run the task worker, with a heartbeat, recovering tasks of workers that died."

    def handle(self, *args, **options):
        worker_id = options["worker_id"] = worker_id_for()
        options["reload"] = False
        _beat(worker_id)
        _recover_once()
        stop = threading.Event()
        thread = threading.Thread(
            target=_beat_and_recover_forever,
            args=(stop, worker_id, settings.TASK_RECOVERY_INTERVAL_SECONDS),
            name="task-recovery",
            daemon=True,
        )
        thread.start()
        try:
            return super().handle(*args, **options)
        finally:
            stop.set()
            thread.join(timeout=settings.TASK_RECOVERY_INTERVAL_SECONDS)
            try:
                heartbeat_stop(worker_id=worker_id)
            except Exception:
                logger.exception("Removing the worker's heartbeat failed")
