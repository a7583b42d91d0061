"""Background tasks of core: the nightly purge of look-up audit events."""

from django.tasks import task

from apps.core.audit import audit_lookups_purge


@task
def purge_audit_task() -> int:
    """Daily: delete look-up events older than AUDIT_LOOKUP_RETENTION_MONTHS."""
    return audit_lookups_purge()
