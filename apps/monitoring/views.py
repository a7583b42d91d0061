"""Machine endpoints for load balancers and monitoring: no login, no personal data.

`/healthz`: the process answers (touches no database). `/readyz`: ready for traffic
(apps.monitoring.checks). `/metrics`: Prometheus text format, only for METRICS_ALLOWED_IPS.
"""

from __future__ import annotations

import ipaddress
import os

from django.conf import settings
from django.db import transaction
from django.http import HttpResponse, HttpResponseForbidden, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from prometheus_client import CONTENT_TYPE_LATEST, REGISTRY, CollectorRegistry, generate_latest
from prometheus_client.multiprocess import MultiProcessCollector

from apps.accounts.security import client_ip
from apps.monitoring.checks import readiness
from apps.monitoring.metrics import database_metrics


@transaction.non_atomic_requests  # ATOMIC_REQUESTS would open a database connection
@never_cache
@require_GET
def healthz(request):
    return JsonResponse({"status": "ok", "checks": {"process": {"ok": True}}})


@transaction.non_atomic_requests  # a failing check must not break a request transaction
@never_cache
@require_GET
def readyz(request):
    ok, checks = readiness()
    return JsonResponse(
        {"status": "ok" if ok else "fail", "checks": checks}, status=200 if ok else 503
    )


def metrics_allowed(request) -> bool:
    """The client address (REMOTE_ADDR, or behind TRUSTED_PROXY_COUNT proxies the address the
    outermost trusted proxy saw) is one of METRICS_ALLOWED_IPS (addresses or networks)."""
    address = client_ip(request)
    try:
        ip = ipaddress.ip_address(address or "")
    except ValueError:
        return False
    return any(
        ip in ipaddress.ip_network(allowed, strict=False)
        for allowed in settings.METRICS_ALLOWED_IPS
    )


@never_cache
@require_GET
def metrics(request):
    if not metrics_allowed(request):
        return HttpResponseForbidden("forbidden\n", content_type="text/plain")
    registry = REGISTRY
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):  # several gunicorn workers: sum them up
        registry = CollectorRegistry()
        MultiProcessCollector(registry)
    body = generate_latest(registry) + database_metrics()
    return HttpResponse(body, content_type=CONTENT_TYPE_LATEST)
