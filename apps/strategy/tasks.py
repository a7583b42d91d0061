"""Strategy work for the task worker: the daily automatic follow-up reminders."""

from __future__ import annotations

from django.tasks import task
from django.utils import timezone

from apps.strategy.reminders import send_follow_up_reminders


@task
def send_follow_up_reminders_task() -> dict:
    """Send today's (Copenhagen date) due-soon, overdue and Monday digest reminders."""
    return send_follow_up_reminders(today=timezone.localdate())
