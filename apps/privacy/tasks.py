"""Background tasks of privacy: the daily retention run."""

from django.tasks import task

from apps.privacy.services import retention_apply


@task
def apply_retention_task() -> int:
    """Daily: anonymise trainees whose retention period has run out; returns how many."""
    return len(retention_apply().items)
