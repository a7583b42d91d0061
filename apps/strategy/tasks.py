"""Strategy work for the task worker: the daily automatic follow-up reminders and large
goal and initiative exports."""

from __future__ import annotations

from django.tasks import task
from django.utils import timezone

from apps.accounts.scope import scope_for_user
from apps.core.exports import export_job_run
from apps.strategy.exports import GOAL_EXPORT, INITIATIVE_EXPORT
from apps.strategy.reminders import send_follow_up_reminders


@task
def send_follow_up_reminders_task() -> dict:
    """Send today's (Copenhagen date) due-soon, overdue and Monday digest reminders."""
    return send_follow_up_reminders(today=timezone.localdate())


@task()
def initiative_export_task(job_id: str) -> dict:
    """Write a queued initiative-list export into its job (see apps.core.exports)."""
    return export_job_run(job_id=job_id, export=INITIATIVE_EXPORT, scope_for=scope_for_user)


@task()
def goal_export_task(job_id: str) -> dict:
    """Write a queued goal-list export into its job (see apps.core.exports)."""
    return export_job_run(job_id=job_id, export=GOAL_EXPORT, scope_for=scope_for_user)
