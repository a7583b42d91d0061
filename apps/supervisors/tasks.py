"""Background tasks of the supervisors app: building a large list export."""

from django.tasks import task

from apps.accounts.scope import scope_for_user
from apps.core.exports import export_job_run
from apps.supervisors.exports import SUPERVISOR_EXPORT


@task()
def supervisor_export_task(job_id: str) -> dict:
    """Write a queued supervisor-list export into its job (see apps.core.exports)."""
    return export_job_run(job_id=job_id, export=SUPERVISOR_EXPORT, scope_for=scope_for_user)
