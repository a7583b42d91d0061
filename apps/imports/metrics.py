"""Prometheus metrics of the imports app (exported on /metrics by apps.monitoring)."""

from prometheus_client import Histogram

IMPORT_APPLY_SECONDS = Histogram(
    "strategiportalen_import_apply_seconds",
    "Seconds an import batch took to apply (commit), failed applies included.",
    buckets=(0.5, 1, 2.5, 5, 10, 20, 30, 60, 120, 300, float("inf")),
)
