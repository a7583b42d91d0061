"""Reminding an owner by e-mail: follow-up without chasing by hand.

The mail goes to the item's owner through Django's mail (console backend in development)
and links straight to the item with an absolute URL built from `settings.PORTAL_BASE_URL`.
Every reminder is recorded in the item's history.

`send_follow_up_reminders` is the automatic side, run daily by the task worker: a mail
when an item's follow-up date is 14 days away or has passed, and on Mondays a weekly
digest of what needs an update. `SentReminder` rows (unique in the database) make sure
nothing is sent twice.
"""

from __future__ import annotations

import datetime
import logging

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _

from apps.core.audit import audit_record
from apps.strategy.choices import GoalStatus, InitiativeStatus
from apps.strategy.digest import digest_sections
from apps.strategy.models import Goal, Initiative, SentReminder


def item_url(item: Goal | Initiative) -> str:
    """The item's page as an absolute link for e-mails."""
    name = "strategy:goal_detail" if isinstance(item, Goal) else "strategy:initiative_detail"
    return f"{settings.PORTAL_BASE_URL}{reverse(name, args=[item.pk])}"


def reminder_send(*, item: Goal | Initiative, actor, reason: str = "manual") -> str:
    """Send the owner a reminder with a link to the item; returns the address mailed.

    Refused (Danish message) when the item has no owner or the owner no e-mail address.
    """
    is_goal = isinstance(item, Goal)
    owner = item.owner
    if owner is None:
        raise ValidationError(
            _("Målsætningen har ingen ansvarlig, så der er ingen at minde.")
            if is_goal
            else _("Indsatsen har ingen ansvarlig bruger, så der er ingen at minde.")
        )
    if not owner.email:
        raise ValidationError(_("%(name)s har ingen e-mailadresse i portalen.") % {"name": owner})
    strategy = item.focus_area.strategy if is_goal else item.strategy
    context = {"item": item, "is_goal": is_goal, "url": item_url(item), "owner": owner}
    subject = render_to_string("strategy/email/reminder_subject.txt", context).strip()
    body = render_to_string("strategy/email/reminder_body.txt", context)
    EmailMessage(subject=subject, body=body, to=[owner.email]).send()
    audit_record(
        actor=actor,
        action=f"strategy.{item._meta.model_name}.reminded",
        obj=item,
        context={"strategy_id": strategy.pk, "to": owner.email, "reason": reason},
        municipality_id=strategy.municipality_id,
    )
    return owner.email


logger = logging.getLogger(__name__)

DUE_SOON_DAYS = 14
DONE_STATUSES = {"goal": GoalStatus.ACHIEVED, "initiative": InitiativeStatus.IMPLEMENTED}


def _reminder_candidates(model, *, today: datetime.date):
    """Open items of current strategies whose follow-up is due within 14 days or overdue,
    owned by an active user with an e-mail address who wants reminders."""
    from apps.accounts.models import ReminderPreference

    item_type = "goal" if model is Goal else "initiative"
    related = ["owner", "focus_area__strategy"] if model is Goal else ["owner", "strategy"]
    return (
        model.objects.current()
        .follow_up_due(today=today, within_days=DUE_SOON_DAYS)
        .exclude(status=DONE_STATUSES[item_type])
        .filter(
            owner__is_active=True,
            owner__reminder_preference=ReminderPreference.WEEKLY,
        )
        .exclude(owner__email="")
        .select_related(*related)
        .order_by("follow_up_on", "pk")
    )


def _wants(user) -> bool:
    """An active user with an e-mail address who has not turned reminders off."""
    from apps.accounts.models import ReminderPreference

    return (
        user.is_active
        and bool(user.email)
        and user.reminder_preference == ReminderPreference.WEEKLY
    )


def _claim(**fields) -> bool:
    """Record a reminder as sent; False when it already was (the unique constraint)."""
    try:
        with transaction.atomic():
            SentReminder.objects.create(**fields)
    except IntegrityError:
        return False
    return True


def _send_item_reminder(item, *, kind: str, dry_run: bool, sent: set) -> bool:
    """Mail one due-soon or overdue reminder unless `sent` (or the database) has it."""
    item_type = "goal" if isinstance(item, Goal) else "initiative"
    if (item_type, item.pk, kind, item.follow_up_on) in sent:
        return False
    if dry_run:
        return True
    with transaction.atomic():
        if not _claim(
            kind=kind,
            item_type=item_type,
            item_id=item.pk,
            follow_up_on=item.follow_up_on,
            user=item.owner,
        ):
            return False
        reminder_send(item=item, actor=None, reason=kind)
    return True


def digest_send(
    *, user, items: list, today: datetime.date, dry_run: bool = False, sections: list = ()
) -> bool:
    """Send `user` this ISO week's digest of `items` (goals and initiatives needing an
    update) and of other apps' `sections` (`apps.strategy.digest`), once per week; each
    item's history records the digest. False if already sent."""
    year, week, _weekday = today.isocalendar()
    iso_week = f"{year}-W{week:02d}"
    if SentReminder.objects.filter(kind="digest", user=user, iso_week=iso_week).exists():
        return False
    if dry_run:
        return True
    entries = [
        {
            "item": item,
            "is_goal": isinstance(item, Goal),
            "url": item_url(item),
            "overdue": item.follow_up_on < today,
        }
        for item in items
    ]
    context = {"owner": user, "entries": entries, "week": week, "sections": sections}
    with transaction.atomic():
        if not _claim(kind="digest", user=user, iso_week=iso_week):
            return False
        subject = render_to_string("strategy/email/digest_subject.txt", context).strip()
        body = render_to_string("strategy/email/digest_body.txt", context)
        EmailMessage(subject=subject, body=body, to=[user.email]).send()
        for section in sections:
            if section.on_sent is not None:
                section.on_sent()
        for item in items:
            strategy = item.focus_area.strategy if isinstance(item, Goal) else item.strategy
            audit_record(
                actor=None,
                action=f"strategy.{item._meta.model_name}.reminded",
                obj=item,
                context={
                    "strategy_id": strategy.pk,
                    "to": user.email,
                    "reason": "digest",
                    "week": iso_week,
                },
                municipality_id=strategy.municipality_id,
            )
    return True


def send_follow_up_reminders(*, today: datetime.date, dry_run: bool = False) -> dict:
    """The daily automatic reminders: due in 14 days, overdue, and (Mondays) the digest.

    Rules: only active owners with an e-mail address who have not chosen "Ingen"; items
    of archived strategies and done items (Nået / Implementeret) are skipped; every mail
    is recorded on the item and in `SentReminder`, so a second run sends nothing new.
    Returns the counts sent (or, with `dry_run`, that would be sent).
    """
    counts = {"due_soon": 0, "overdue": 0, "digest": 0}
    by_owner: dict = {}
    # What has gone out already, read once rather than asked per item.
    sent = set(
        SentReminder.objects.exclude(kind=SentReminder.Kind.DIGEST)
        .filter(follow_up_on__lte=today + datetime.timedelta(days=DUE_SOON_DAYS))
        .values_list("item_type", "item_id", "kind", "follow_up_on")
    )
    for model in (Goal, Initiative):
        for item in _reminder_candidates(model, today=today):
            by_owner.setdefault(item.owner, []).append(item)
            kind = "overdue" if item.follow_up_on < today else "due_soon"
            try:
                if _send_item_reminder(item, kind=kind, dry_run=dry_run, sent=sent):
                    counts[kind] += 1
            except Exception:
                # One bad address must not stop everyone else's reminders.
                logger.exception("Reminder for %s %s failed", model.__name__, item.pk)
    if today.weekday() == 0:
        sections = digest_sections(today=today)
        recipients = [*by_owner, *(u for u in sections if u not in by_owner and _wants(u))]
        for user in recipients:
            items = by_owner.get(user, [])
            try:
                if digest_send(
                    user=user,
                    items=items,
                    today=today,
                    dry_run=dry_run,
                    sections=sections.get(user, []),
                ):
                    counts["digest"] += 1
            except Exception:
                logger.exception("Weekly digest for user %s failed", user.pk)
    return counts
