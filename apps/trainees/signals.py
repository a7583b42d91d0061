"""Signals the trainees app sends for others to react to (the KPI engine recomputes)."""

from django.dispatch import Signal

# Sent after quotas were created, changed or deleted (by hand or by an import), with the
# keyword argument `municipality_id`: intake-against-quota measurements move with them.
quotas_changed = Signal()
