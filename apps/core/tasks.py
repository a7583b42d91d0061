"""Background tasks of core: the nightly purges of look-up audit events and of expired
export files."""

from django.tasks import task

from apps.core.audit import audit_lookups_purge
from apps.core.exports import export_jobs_purge


@task
def purge_audit_task() -> int:
    """Daily: delete look-up events older than AUDIT_LOOKUP_RETENTION_MONTHS."""
    return audit_lookups_purge()


@task
def purge_export_jobs_task() -> int:
    """Daily: delete the files of export jobs whose link has expired."""
    return export_jobs_purge()
