"""Readiness checks for the load balancer and the monitoring system (`/readyz`).

Each check answers (ok, short English detail) and never names a person. A task worker is
"seen" when a `manage.py task_worker` recorded its heartbeat within
TASK_WORKER_HEARTBEAT_TIMEOUT_SECONDS (`apps.scheduling.heartbeats.heartbeats_alive`,
written every TASK_RECOVERY_INTERVAL_SECONDS, also while it runs a long task). Failing that,
a task started or finished within WORKER_SEEN_WITHIN counts too, for a plain `db_worker`
that records no heartbeat: the imports watchdog is booked every minute, so such a worker
starts a task at least once a minute even on a quiet night.
"""

from __future__ import annotations

import datetime

from django.db import DatabaseError, connection
from django.db.migrations.executor import MigrationExecutor
from django.db.models import Count, Max
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from apps.scheduling.heartbeats import database_now, heartbeats_alive
from apps.scheduling.nightly import pending_runs

WORKER_SEEN_WITHIN = datetime.timedelta(minutes=2)


def check_database() -> tuple[bool, str]:
    try:
        connection.ensure_connection()
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError as exc:
        return False, f"unreachable: {type(exc).__name__}"
    return True, "reachable"


def check_migrations() -> tuple[bool, str]:
    executor = MigrationExecutor(connection)
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    if plan:
        return False, f"{len(plan)} unapplied"
    return True, "all applied"


def check_worker(now: datetime.datetime | None = None) -> tuple[bool, str]:
    now = now or database_now()
    beats = heartbeats_alive(now=now).aggregate(workers=Count("pk"), last=Max("last_seen"))
    if beats["workers"]:
        age = max(int((now - beats["last"]).total_seconds()), 0)
        return True, f"{beats['workers']} alive, last heartbeat {age} s ago"
    seen = DBTaskResult.objects.aggregate(started=Max("started_at"), finished=Max("finished_at"))
    last = max((t for t in seen.values() if t is not None), default=None)
    if last is None:
        return False, "no task ever started"
    age = int((now - last).total_seconds())
    if now - last > WORKER_SEEN_WITHIN:
        return False, f"last seen {age} s ago"
    return True, f"last seen {max(age, 0)} s ago"


def check_nightly() -> tuple[bool, str]:
    booked = pending_runs().order_by("run_after").values_list("run_after", flat=True).first()
    if booked is None:
        return False, "no nightly run booked"
    return True, f"booked for {timezone.localtime(booked).isoformat()}"


CHECKS = {
    "database": check_database,
    "migrations": check_migrations,
    "worker": check_worker,
    "nightly": check_nightly,
}


def readiness() -> tuple[bool, dict[str, dict]]:
    """Run every check; the later ones are skipped when the database cannot be reached."""
    results: dict[str, dict] = {}
    db_ok, detail = check_database()
    results["database"] = {"ok": db_ok, "detail": detail}
    for name, check in CHECKS.items():
        if name == "database":
            continue
        if not db_ok:
            results[name] = {"ok": False, "detail": "skipped: no database"}
            continue
        try:
            ok, detail = check()
        except DatabaseError as exc:
            ok, detail = False, f"error: {type(exc).__name__}"
        results[name] = {"ok": ok, "detail": detail}
    return all(r["ok"] for r in results.values()), results
