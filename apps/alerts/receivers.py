"""Signal receivers: an applied (or undone) import recomputes the municipality's flags."""

from django.db import transaction

from apps.alerts.tasks import recompute_absence_flags


def on_import_applied(sender, *, municipality_id: int, **kwargs) -> None:
    """Enqueue the recompute once the import's transaction has committed (the same way the
    KPI recompute is hooked in `apps.kpis.receivers`). Every import kind counts: absence
    rows change the rates, a trainee file changes who is active."""
    transaction.on_commit(lambda: recompute_absence_flags.enqueue(municipality_id))
