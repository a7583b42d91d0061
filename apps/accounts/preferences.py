"""A user's own settings that are not about signing in: which automatic e-mails they get."""

from __future__ import annotations

from django.db import transaction

from apps.core.audit import audit_record


@transaction.atomic
def reminder_preference_set(*, user, preference: str) -> None:
    """Save the user's choice of automatic follow-up mails (weekly digest and reminders,
    or none); only the user changes their own choice, and the change is audited."""
    old = user.reminder_preference
    user.reminder_preference = preference
    user.full_clean(validate_unique=False, exclude=["password"])
    user.save(update_fields=["reminder_preference"])
    audit_record(
        actor=user,
        action="accounts.user.reminder_preference",
        obj=user,
        changes={"reminder_preference": [old, preference]},
    )
