"""The demo's absence warnings: computed from the generated absence rows (apps.alerts)."""

from apps.alerts.services import absence_flags_recompute
from apps.organisation.models import Municipality


def load_absence_flags(*, stdout) -> int:
    """Recompute every demo municipality's flags; returns how many trainees are flagged."""
    flagged = 0
    for municipality_id in Municipality.objects.order_by("code").values_list("id", flat=True):
        result = absence_flags_recompute(municipality_id=municipality_id)
        flagged += result.opened + result.updated
    stdout.write(f"Elever med højt sygefravær: {flagged}\n")
    return flagged
