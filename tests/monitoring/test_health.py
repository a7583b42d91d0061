"""`/healthz` and `/readyz`: answered without login, JSON, 503 naming the failing check."""

import datetime

import pytest
from django.db import connection
from django.test import Client
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from apps.imports.tasks import watch_import_checks
from apps.scheduling.nightly import nightly_schedule, pending_runs

pytestmark = pytest.mark.django_db


def ready(client=None):
    response = (client or Client()).get("/readyz")
    return response.status_code, response.json()


def worker_starts_a_task(minutes_ago=0):
    """What `db_worker` does when it picks a task: claim it (status RUNNING, started_at)."""
    result = DBTaskResult.objects.get(id=watch_import_checks.enqueue().id)
    result.claim("worker-1")
    if minutes_ago:
        DBTaskResult.objects.filter(pk=result.pk).update(
            started_at=result.started_at - datetime.timedelta(minutes=minutes_ago)
        )


def test_healthz_answers_anonymously_without_touching_the_database(django_assert_num_queries):
    with django_assert_num_queries(0):
        response = Client().get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "checks": {"process": {"ok": True}}}
    assert "no-store" in response["Cache-Control"]


def test_readyz_is_ok_with_a_worker_seen_and_the_nightly_run_booked():
    nightly_schedule()
    worker_starts_a_task()
    status, body = ready()
    assert status == 200, body
    assert body["status"] == "ok"
    assert set(body["checks"]) == {"database", "migrations", "worker", "nightly"}
    assert all(check["ok"] for check in body["checks"].values())


def test_readyz_fails_and_names_the_worker_when_no_task_ever_started():
    nightly_schedule()
    status, body = ready()
    assert status == 503
    assert body["status"] == "fail"
    assert body["checks"]["worker"] == {"ok": False, "detail": "no task ever started"}
    assert body["checks"]["nightly"]["ok"] and body["checks"]["migrations"]["ok"]


def test_readyz_fails_when_the_worker_was_last_seen_three_minutes_ago():
    nightly_schedule()
    worker_starts_a_task(minutes_ago=3)
    status, body = ready()
    assert status == 503
    assert not body["checks"]["worker"]["ok"]
    assert body["checks"]["worker"]["detail"].startswith("last seen 18")


def test_readyz_counts_a_worker_by_its_heartbeat_even_when_no_task_started():
    from apps.scheduling.heartbeats import heartbeat_record

    nightly_schedule()
    heartbeat_record(worker_id="w:worker-host:77:1", host="worker-host")
    status, body = ready()
    assert status == 200, body
    assert body["checks"]["worker"]["detail"].startswith("1 alive, last heartbeat")


def test_readyz_fails_when_the_only_heartbeat_is_three_minutes_old():
    from apps.scheduling.heartbeats import heartbeat_record

    nightly_schedule()
    heartbeat_record(
        worker_id="w:worker-host:77:1",
        host="worker-host",
        now=timezone.now() - datetime.timedelta(minutes=3),
    )
    status, body = ready()
    assert status == 503
    assert body["checks"]["worker"] == {"ok": False, "detail": "no task ever started"}


def test_readyz_fails_when_no_nightly_run_is_booked():
    nightly_schedule()
    worker_starts_a_task()
    pending_runs().delete()
    status, body = ready()
    assert status == 503
    assert body["checks"]["nightly"] == {"ok": False, "detail": "no nightly run booked"}
    assert body["checks"]["worker"]["ok"]


def test_readyz_fails_when_a_migration_is_not_applied():
    nightly_schedule()
    worker_starts_a_task()
    with connection.cursor() as cursor:  # as if the newest core migration were not run yet
        cursor.execute(
            "DELETE FROM django_migrations WHERE id = "
            "(SELECT max(id) FROM django_migrations WHERE app = 'core')"
        )
    status, body = ready()
    assert status == 503
    assert body["checks"]["migrations"] == {"ok": False, "detail": "1 unapplied"}


def test_readyz_answers_a_user_who_still_owes_the_two_factor_step(coordinator):
    nightly_schedule()
    worker_starts_a_task()
    client = Client()
    client.force_login(coordinator, backend="django.contrib.auth.backends.ModelBackend")
    status, body = ready(client)
    assert status == 200, body
