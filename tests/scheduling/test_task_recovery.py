"""Tasks left RUNNING by a worker process that died are requeued (or failed), never left
running for ever; tasks of live workers and of other hosts are left alone."""

import os
import subprocess
import sys

import pytest
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from apps.kpis.tasks import recompute_municipality
from apps.scheduling.recovery import (
    LOST_EXCEPTION,
    parse_worker_id,
    tasks_recover_orphans,
    worker_id_for,
)

pytestmark = pytest.mark.django_db


def dead_worker_id() -> str:
    """The worker id of a real process that has exited."""
    child = subprocess.Popen([sys.executable, "-c", "pass"])  # noqa: S603
    worker_id = worker_id_for(child.pid)
    child.wait()
    return worker_id


@pytest.fixture
def running(municipality):
    """A RUNNING recomputation task of `municipality`, claimed by `worker_ids`."""

    def make(task_path: str | None = None, *, worker_ids: list[str]) -> DBTaskResult:
        return _running(municipality.pk, task_path, worker_ids=worker_ids)

    return make


def _running(municipality_id, task_path, *, worker_ids) -> DBTaskResult:
    result = recompute_municipality.enqueue(municipality_id)
    task = DBTaskResult.objects.get(pk=result.id)
    task.status = "RUNNING"
    task.started_at = timezone.now()
    task.worker_ids = worker_ids
    if task_path:
        task.task_path = task_path
    task.save()
    return task


def test_worker_id_names_host_pid_and_start():
    host, pid, started = parse_worker_id(worker_id_for())

    assert pid == os.getpid()
    assert started
    assert len(worker_id_for()) < 64
    assert parse_worker_id("a-random-db-worker-id") is None


def test_a_task_whose_worker_died_is_queued_again(running):
    task = running(worker_ids=[dead_worker_id()])

    assert tasks_recover_orphans() == {"requeued": 1, "failed": 0}

    task.refresh_from_db()
    assert task.status == "READY"
    assert task.started_at is None
    assert DBTaskResult.objects.ready().filter(pk=task.pk).exists()


def test_a_task_of_a_live_worker_or_another_host_is_left_running(running):
    live = running(worker_ids=[worker_id_for()])
    elsewhere = running(worker_ids=["w:other-host:12345:999"])
    foreign = running(worker_ids=["Xy7kQ2"])

    assert tasks_recover_orphans() == {"requeued": 0, "failed": 0}

    for task in (live, elsewhere, foreign):
        task.refresh_from_db()
        assert task.status == "RUNNING"


def test_a_task_that_lost_its_worker_three_times_is_failed(running):
    task = running(worker_ids=[dead_worker_id(), dead_worker_id(), dead_worker_id()])

    assert tasks_recover_orphans() == {"requeued": 0, "failed": 1}

    task.refresh_from_db()
    assert task.status == "FAILED"
    assert task.finished_at is not None
    assert task.exception_class_path == LOST_EXCEPTION
    assert "attempt 3" in task.traceback


def test_an_import_preview_is_failed_not_rerun(running):
    task = running("apps.imports.tasks.preview_import_batch", worker_ids=[dead_worker_id()])

    assert tasks_recover_orphans() == {"requeued": 0, "failed": 1}

    task.refresh_from_db()
    assert task.status == "FAILED"


@pytest.mark.django_db(transaction=True)
def test_a_requeued_task_is_run_by_the_worker(running):
    from django.core.management import call_command

    task = running(worker_ids=[dead_worker_id()])
    tasks_recover_orphans()

    call_command("task_worker", batch=True, interval=0, startup_delay=False, verbosity=0)

    task.refresh_from_db()
    assert task.status == "SUCCESSFUL"
    assert len(task.worker_ids) == 2
    assert task.worker_ids[-1] == worker_id_for()
