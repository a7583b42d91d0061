"""Background work for KPIs (django.tasks): recompute a municipality after each import."""

from django.tasks import task

from apps.kpis.services import measurements_recompute


@task()
def recompute_municipality(municipality_id: int) -> dict:
    """Rebuild one municipality's facts and computed measurements (see the service)."""
    result = measurements_recompute(municipality_id=municipality_id)
    return {"facts": result.facts, "created": result.created, "updated": result.updated}
