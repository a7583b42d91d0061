"""Tasks left RUNNING by a worker process that died are requeued (or failed), never left
running for ever: on this host when the process is gone, on any host when the worker's
heartbeat in PostgreSQL is stale; tasks of live workers, here or elsewhere, are left alone."""

import datetime
import os
import signal

import pytest
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from apps.kpis.tasks import recompute_municipality
from apps.monitoring.checks import check_worker
from apps.scheduling.heartbeats import heartbeat_record, heartbeats_purge
from apps.scheduling.models import WorkerHeartbeat
from apps.scheduling.recovery import (
    LOST_EXCEPTION,
    parse_worker_id,
    tasks_recover_orphans,
    this_host,
    worker_id_for,
)
from tests.workers import (
    dead_worker_id,
    other_connection,
    run_task_worker_batch,
    start_task_worker,
    wait_for,
)

pytestmark = pytest.mark.django_db


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


def test_a_task_listed_never_to_run_twice_is_failed_not_rerun(running, settings):
    task = running(worker_ids=[dead_worker_id()])
    settings.TASK_RECOVERY_NEVER_REQUEUE = [task.task_path]

    assert tasks_recover_orphans() == {"requeued": 0, "failed": 1}

    task.refresh_from_db()
    assert task.status == "FAILED"


def test_the_import_preview_may_be_rerun(settings):
    assert "apps.imports.tasks.preview_import_batch" not in settings.TASK_RECOVERY_NEVER_REQUEUE


OTHER_HOST_WORKER = "w:other-host:12345:999"


def beat(worker_id: str, *, seconds_ago: int) -> None:
    """The heartbeat a worker on another host last recorded, `seconds_ago`."""
    heartbeat_record(
        worker_id=worker_id,
        host="other-host",
        now=timezone.now() - datetime.timedelta(seconds=seconds_ago),
    )


def test_a_task_whose_worker_on_another_host_stopped_beating_is_queued_again(running, settings):
    settings.TASK_WORKER_HEARTBEAT_TIMEOUT_SECONDS = 120
    task = running(worker_ids=[OTHER_HOST_WORKER])
    beat(OTHER_HOST_WORKER, seconds_ago=600)

    assert tasks_recover_orphans() == {"requeued": 1, "failed": 0}

    task.refresh_from_db()
    assert task.status == "READY"


def test_a_task_of_a_live_worker_on_another_host_is_left_running(running, settings):
    settings.TASK_WORKER_HEARTBEAT_TIMEOUT_SECONDS = 120
    task = running(worker_ids=[OTHER_HOST_WORKER])
    beat(OTHER_HOST_WORKER, seconds_ago=5)

    assert tasks_recover_orphans() == {"requeued": 0, "failed": 0}

    task.refresh_from_db()
    assert task.status == "RUNNING"


def test_a_task_of_another_host_worker_without_heartbeat_is_requeued_once_past_the_timeout(
    running, settings
):
    settings.TASK_WORKER_HEARTBEAT_TIMEOUT_SECONDS = 120
    just_claimed = running(worker_ids=[OTHER_HOST_WORKER])
    long_running = running(worker_ids=["w:third-host:777:42"])
    DBTaskResult.objects.filter(pk=long_running.pk).update(
        started_at=timezone.now() - datetime.timedelta(minutes=10)
    )

    assert tasks_recover_orphans() == {"requeued": 1, "failed": 0}

    long_running.refresh_from_db()
    just_claimed.refresh_from_db()
    assert long_running.status == "READY"
    assert just_claimed.status == "RUNNING"


def test_heartbeats_not_seen_for_a_day_are_deleted():
    beat("w:gone-host:1:1", seconds_ago=2 * 24 * 3600)
    beat(OTHER_HOST_WORKER, seconds_ago=3600)

    assert heartbeats_purge() == 1
    assert list(WorkerHeartbeat.objects.values_list("worker_id", flat=True)) == [OTHER_HOST_WORKER]


def test_a_long_host_name_is_shortened_with_a_hash_in_worker_ids():
    host, _pid, _started = parse_worker_id(worker_id_for())
    assert host == this_host()
    assert len(host) <= 30


@pytest.mark.django_db(transaction=True)
def test_a_task_another_host_is_recovering_is_skipped_not_requeued_twice(running):
    task = running(worker_ids=[dead_worker_id()])
    table = DBTaskResult._meta.db_table
    # Another host's recovery holds the task's row (it is changing it right now).
    with other_connection() as other:
        other.execute(f"SELECT 1 FROM {table} WHERE id = %s FOR UPDATE", [task.pk])  # noqa: S608
        assert tasks_recover_orphans() == {"requeued": 0, "failed": 0}
        other.execute(f"UPDATE {table} SET status = 'READY' WHERE id = %s", [task.pk])  # noqa: S608
        other.commit()

    assert tasks_recover_orphans() == {"requeued": 0, "failed": 0}
    task.refresh_from_db()
    assert task.status == "READY"
    assert len(task.worker_ids) == 1


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


def worker_heartbeat(pid: int) -> WorkerHeartbeat | None:
    return WorkerHeartbeat.objects.filter(pid=pid).first()


@pytest.mark.django_db(transaction=True)
def test_a_running_worker_beats_and_removes_its_heartbeat_when_stopped(tmp_path):
    worker = start_task_worker(tmp_path / "worker", TASK_RECOVERY_INTERVAL_SECONDS="1")
    try:
        first = wait_for(lambda: worker_heartbeat(worker.pid), "the worker's first heartbeat")
        assert first.worker_id == worker_id_for(worker.pid)
        assert first.host.startswith(parse_worker_id(first.worker_id)[0].split("~")[0])
        wait_for(
            lambda: worker_heartbeat(worker.pid).last_seen > first.last_seen,
            "a second heartbeat",
        )
        ok, detail = check_worker()
        assert ok and detail.startswith("1 alive"), detail
    finally:
        worker.send_signal(signal.SIGTERM)
        worker.wait(timeout=120)
    assert worker.returncode == 0, (tmp_path / "worker" / "stderr.log").read_text()[-2000:]
    assert not WorkerHeartbeat.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_a_worker_requeues_and_runs_the_task_of_a_dead_worker_on_another_host(
    running, tmp_path, settings
):
    stale = running(worker_ids=[OTHER_HOST_WORKER])
    live = running(worker_ids=["w:busy-host:4242:1"])
    timeout = datetime.timedelta(seconds=settings.TASK_WORKER_HEARTBEAT_TIMEOUT_SECONDS)
    beat(OTHER_HOST_WORKER, seconds_ago=int(timeout.total_seconds()) * 5)
    heartbeat_record(worker_id="w:busy-host:4242:1", host="busy-host")

    done = run_task_worker_batch(tmp_path / "worker")

    assert done.returncode == 0, done.stderr.decode()[-2000:]
    stale.refresh_from_db()
    live.refresh_from_db()
    assert stale.status == "SUCCESSFUL"
    assert stale.worker_ids[0] == OTHER_HOST_WORKER
    assert parse_worker_id(stale.worker_ids[-1])[0] == this_host()
    assert live.status == "RUNNING"
    assert live.worker_ids == ["w:busy-host:4242:1"]
