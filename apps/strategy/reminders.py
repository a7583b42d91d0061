"""Reminding an owner by e-mail: follow-up without chasing by hand.

The mail goes to the item's owner through Django's mail (console backend in development)
and links straight to the item with an absolute URL built from `settings.PORTAL_BASE_URL`.
Every reminder is recorded in the item's history.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _

from apps.core.audit import audit_record
from apps.strategy.models import Goal, Initiative


def item_url(item: Goal | Initiative) -> str:
    """The item's page as an absolute link for e-mails."""
    name = "strategy:goal_detail" if isinstance(item, Goal) else "strategy:initiative_detail"
    return f"{settings.PORTAL_BASE_URL}{reverse(name, args=[item.pk])}"


def reminder_send(*, item: Goal | Initiative, actor) -> str:
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
        context={"strategy_id": strategy.pk, "to": owner.email},
        municipality_id=strategy.municipality_id,
    )
    return owner.email
