"""Signals the imports app sends for others to react to (the KPI engine recomputes)."""

from django.dispatch import Signal

# Sent via transaction.on_commit after an import batch is committed or undone, with the
# keyword arguments `batch` (an ImportBatch) and `municipality_id`.
import_applied = Signal()
