"""Request counts and latencies for Prometheus (the part of django-prometheus this portal
needs; django-prometheus 2.5.0 itself requires Django < 6.1).

Outermost middleware, so the latency covers every other middleware too. Labelled by the
resolved URL name ("strategy:goal_detail"), never by the path, so no id or token reaches the
metrics and the label set stays small; unresolved paths count as "<unresolved>"."""

from __future__ import annotations

import time

from prometheus_client import Counter, Histogram

REQUESTS = Counter(
    "strategiportalen_http_requests_total",
    "HTTP requests answered, by URL name, method and status code.",
    ["view", "method", "status"],
)
LATENCY = Histogram(
    "strategiportalen_http_request_duration_seconds",
    "Seconds from the request reaching the portal to the response leaving it, by URL name.",
    ["view", "method"],
    buckets=(0.01, 0.025, 0.05, 0.1, 0.2, 0.3, 0.5, 1, 2.5, 5, 10, 30, float("inf")),
)
METHODS = {"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"}


class RequestMetricsMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        started = time.perf_counter()
        response = self.get_response(request)
        match = getattr(request, "resolver_match", None)
        view = (match.view_name or "<unnamed>") if match is not None else "<unresolved>"
        method = request.method if request.method in METHODS else "other"
        LATENCY.labels(view, method).observe(time.perf_counter() - started)
        REQUESTS.labels(view, method, str(response.status_code)).inc()
        return response
