"""Background work for warnings (django.tasks): recompute one municipality's flags."""

from django.tasks import task

from apps.alerts.services import absence_flags_recompute


@task()
def recompute_absence_flags(municipality_id: int) -> dict:
    """Recompute the absence warnings of one municipality (see the service)."""
    result = absence_flags_recompute(municipality_id=municipality_id)
    return {"opened": result.opened, "updated": result.updated, "closed": result.closed}
