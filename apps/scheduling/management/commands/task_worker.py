"""`manage.py task_worker`: django-tasks-db's `db_worker` (same options) that can recover
tasks whose worker died: it runs under a worker id naming this host and process
(`apps.scheduling.recovery.worker_id_for`), and puts back in the queue, at start and every
TASK_RECOVERY_INTERVAL_SECONDS, the tasks a dead worker on this host left RUNNING. Never
reloads on code changes (the systemd unit restarts it instead)."""

from __future__ import annotations

import logging
import threading

from django.conf import settings
from django.db import close_old_connections, connection
from django_tasks_db.management.commands.db_worker import Command as DbWorkerCommand

from apps.scheduling.recovery import tasks_recover_orphans, worker_id_for

logger = logging.getLogger(__name__)


def _recover_once() -> None:
    try:
        counts = tasks_recover_orphans()
        if any(counts.values()):
            logger.warning("Recovered tasks of stopped workers: %s", counts)
    except Exception:
        logger.exception("Recovering tasks of stopped workers failed")


def _recover_forever(stop: threading.Event, interval: float) -> None:
    """The background thread: its own database connection, closed after each round."""
    while not stop.wait(interval):
        close_old_connections()
        _recover_once()
        connection.close()


class Command(DbWorkerCommand):
    help = "Run the task worker, recovering tasks of workers on this host that died."

    def handle(self, *args, **options):
        options["worker_id"] = worker_id_for()
        options["reload"] = False
        _recover_once()
        stop = threading.Event()
        threading.Thread(
            target=_recover_forever,
            args=(stop, settings.TASK_RECOVERY_INTERVAL_SECONDS),
            name="task-recovery",
            daemon=True,
        ).start()
        try:
            return super().handle(*args, **options)
        finally:
            stop.set()
