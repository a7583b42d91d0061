"""Background tasks of the trainees app: building a large list export."""

from django.tasks import task

from apps.accounts.scope import scope_for_user
from apps.core.exports import export_job_run
from apps.trainees.exports import TRAINEE_EXPORT


@task()
def trainee_export_task(job_id: str) -> dict:
    """Write a queued trainee-list export into its job (see apps.core.exports)."""
    return export_job_run(job_id=job_id, export=TRAINEE_EXPORT, scope_for=scope_for_user)
