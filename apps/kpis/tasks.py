"""Background work for KPIs (django.tasks): recompute a municipality after each import, and
write a large indicator export."""

from django.tasks import task

from apps.accounts.scope import scope_for_user
from apps.core.exports import export_job_run
from apps.kpis.exports import INDICATOR_EXPORT
from apps.kpis.services import measurements_recompute


@task()
def recompute_municipality(municipality_id: int) -> dict:
    """Rebuild one municipality's facts and computed measurements (see the service)."""
    result = measurements_recompute(municipality_id=municipality_id)
    return {"facts": result.facts, "created": result.created, "updated": result.updated}


@task()
def indicator_export_task(job_id: str) -> dict:
    """Write a queued indicator export into its job (see apps.core.exports)."""
    return export_job_run(job_id=job_id, export=INDICATOR_EXPORT, scope_for=scope_for_user)
