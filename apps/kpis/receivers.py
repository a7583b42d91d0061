"""Signal receivers: an applied import enqueues a recomputation of that municipality."""

from django.db import transaction

from apps.kpis.tasks import recompute_municipality


def on_import_applied(sender, *, municipality_id: int, **kwargs) -> None:
    """Enqueue the recompute once the import's transaction has committed, so the worker
    sees the imported rows."""
    transaction.on_commit(lambda: recompute_municipality.enqueue(municipality_id))
