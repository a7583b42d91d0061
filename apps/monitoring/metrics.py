"""Prometheus metrics read from the database at scrape time: the task queue's length, the
age of its oldest waiting task, and how many task workers have a live heartbeat. Being read
from PostgreSQL, they are the same whichever web process answers the scrape (request
counters and import durations are per process; see the README's "Monitoring" section for
PROMETHEUS_MULTIPROC_DIR)."""

from __future__ import annotations

from django.db import DatabaseError
from django.db.models import Case, Count, F, Min, When
from django.db.models.functions import Greatest
from django.utils import timezone
from django_tasks_db.models import DBTaskResult, get_date_max
from prometheus_client import CollectorRegistry, generate_latest
from prometheus_client.core import GaugeMetricFamily

from apps.scheduling.heartbeats import heartbeats_alive


def queued_tasks():
    """Tasks ready to run and not yet started, with the moment each began to wait."""
    return DBTaskResult.objects.ready().annotate(
        waiting_since=Case(
            When(run_after=get_date_max(), then=F("enqueued_at")),
            default=Greatest("enqueued_at", "run_after"),
        )
    )


class TaskQueueCollector:
    def collect(self):
        length = GaugeMetricFamily(
            "strategiportalen_task_queue_length",
            "Tasks ready to run that no worker has started yet.",
            labels=["queue"],
        )
        oldest = GaugeMetricFamily(
            "strategiportalen_task_queue_oldest_age_seconds",
            "Seconds the oldest ready task has waited (0 when the queue is empty).",
            labels=["queue"],
        )
        try:
            rows = list(
                queued_tasks()
                .values("queue_name")
                .annotate(n=Count("id"), since=Min("waiting_since"))
                .order_by("queue_name")
            )
        except DatabaseError:
            return
        now = timezone.now()
        if not rows:
            rows = [{"queue_name": "default", "n": 0, "since": None}]
        for row in rows:
            length.add_metric([row["queue_name"]], row["n"])
            age = (now - row["since"]).total_seconds() if row["since"] else 0.0
            oldest.add_metric([row["queue_name"]], max(age, 0.0))
        yield length
        yield oldest
        try:
            alive = heartbeats_alive().count()
        except DatabaseError:
            return
        yield GaugeMetricFamily(
            "strategiportalen_task_workers_alive",
            "Task workers (manage.py task_worker) whose heartbeat is within the timeout.",
            value=alive,
        )


def database_metrics() -> bytes:
    registry = CollectorRegistry(auto_describe=False)
    registry.register(TaskQueueCollector())
    return generate_latest(registry)
