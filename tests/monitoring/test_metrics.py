"""`/metrics`: Prometheus text for the monitoring host only; requests counted, queue read
from the database."""

import datetime

import pytest
from django.test import Client
from django_tasks_db.models import DBTaskResult
from prometheus_client import REGISTRY
from prometheus_client.parser import text_string_to_metric_families

from apps.imports.tasks import watch_import_checks

pytestmark = pytest.mark.django_db


def scrape(remote_addr="127.0.0.1", **extra):
    return Client(REMOTE_ADDR=remote_addr, **extra).get("/metrics")


def samples(response) -> dict:
    return {
        (s.name, tuple(sorted(s.labels.items()))): s.value
        for family in text_string_to_metric_families(response.content.decode())
        for s in family.samples
    }


def test_metrics_are_readable_from_the_local_host():
    for address in ("127.0.0.1", "::1"):
        response = scrape(address)
        assert response.status_code == 200, address
        assert response["Content-Type"].startswith("text/plain")
        assert b"strategiportalen_http_requests_total" in response.content


def test_metrics_are_refused_to_any_other_address(settings):
    response = scrape("203.0.113.9")
    assert response.status_code == 403
    assert b"strategiportalen" not in response.content
    settings.METRICS_ALLOWED_IPS = ["203.0.113.0/24"]
    assert scrape("203.0.113.9").status_code == 200
    assert scrape("127.0.0.1").status_code == 403


def test_a_forged_forwarded_header_does_not_open_the_metrics(settings):
    settings.TRUSTED_PROXY_COUNT = 1  # behind nginx: the address nginx saw is the client
    assert scrape("127.0.0.1", HTTP_X_FORWARDED_FOR="127.0.0.1, 198.51.100.7").status_code == 403
    assert scrape("10.0.0.5", HTTP_X_FORWARDED_FOR="127.0.0.1").status_code == 200


def test_a_request_increments_the_request_counter():
    labels = {"view": "monitoring:healthz", "method": "GET", "status": "200"}
    name = "strategiportalen_http_requests_total"
    before = REGISTRY.get_sample_value(name, labels) or 0
    Client().get("/healthz")
    Client().get("/healthz")
    assert REGISTRY.get_sample_value(name, labels) == before + 2
    latency = REGISTRY.get_sample_value(
        "strategiportalen_http_request_duration_seconds_count",
        {"view": "monitoring:healthz", "method": "GET"},
    )
    assert latency >= 2
    scraped = samples(scrape())
    assert scraped[(name, tuple(sorted(labels.items())))] == before + 2


def test_the_queue_gauges_reflect_a_queued_task():
    queue = (("queue", "default"),)
    empty = samples(scrape())
    assert empty[("strategiportalen_task_queue_length", queue)] == 0
    assert empty[("strategiportalen_task_queue_oldest_age_seconds", queue)] == 0
    result = watch_import_checks.enqueue()
    DBTaskResult.objects.filter(id=result.id).update(
        enqueued_at=DBTaskResult.objects.get(id=result.id).enqueued_at
        - datetime.timedelta(minutes=10)
    )
    watch_import_checks.using(
        run_after=datetime.datetime.now(datetime.UTC) + datetime.timedelta(hours=1)
    ).enqueue()  # booked for later: not waiting yet
    queued = samples(scrape())
    assert queued[("strategiportalen_task_queue_length", queue)] == 1
    assert 600 <= queued[("strategiportalen_task_queue_oldest_age_seconds", queue)] < 700
    DBTaskResult.objects.get(id=result.id).claim("worker-1")  # a worker picked it
    assert samples(scrape())[("strategiportalen_task_queue_length", queue)] == 0


def test_the_workers_gauge_counts_live_heartbeats_only():
    from apps.scheduling.heartbeats import heartbeat_record

    assert samples(scrape())[("strategiportalen_task_workers_alive", ())] == 0
    heartbeat_record(worker_id="w:host-a:1:1", host="host-a")
    heartbeat_record(worker_id="w:host-b:2:1", host="host-b")
    heartbeat_record(
        worker_id="w:host-c:3:1",
        host="host-c",
        now=datetime.datetime.now(datetime.UTC) - datetime.timedelta(hours=1),
    )
    assert samples(scrape())[("strategiportalen_task_workers_alive", ())] == 2
