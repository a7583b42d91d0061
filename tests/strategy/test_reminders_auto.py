"""Automatic follow-up reminders: due in 14 days, overdue and the Monday digest go to the
owner once, never twice; "Ingen", archived strategies and done items get nothing."""

import datetime
import io

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse

from apps.accounts.models import ReminderPreference
from apps.core.models import AuditEntry
from apps.strategy.choices import GoalStatus, InitiativeStatus, StrategyStatus
from apps.strategy.models import SentReminder
from apps.strategy.reminders import send_follow_up_reminders
from apps.strategy.tasks import send_follow_up_reminders_task
from tests.factories import GoalFactory, InitiativeFactory, UserFactory

pytestmark = pytest.mark.django_db

MONDAY = datetime.date(2026, 11, 30)
TUESDAY = MONDAY + datetime.timedelta(days=1)


def days(n: int) -> datetime.date:
    return TUESDAY + datetime.timedelta(days=n)


@pytest.fixture
def owner(municipality):
    return UserFactory(municipality=municipality, email="ejer@example.invalid")


def test_due_in_14_days_sends_one_mail_with_a_link(owner, focus_area, settings):
    settings.PORTAL_BASE_URL = "https://portal.example.invalid"
    goal = GoalFactory(focus_area=focus_area, owner=owner, follow_up_on=days(14))
    counts = send_follow_up_reminders(today=TUESDAY)
    assert counts == {"due_soon": 1, "overdue": 0, "digest": 0}
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["ejer@example.invalid"]
    assert f"https://portal.example.invalid{reverse('strategy:goal_detail', args=[goal.pk])}" in (
        mail.outbox[0].body
    )
    entry = AuditEntry.objects.get(action="strategy.goal.reminded", object_id=str(goal.pk))
    assert entry.context["reason"] == "due_soon" and entry.actor is None


def test_not_yet_due_sends_nothing(owner, focus_area):
    GoalFactory(focus_area=focus_area, owner=owner, follow_up_on=days(15))
    assert send_follow_up_reminders(today=TUESDAY)["due_soon"] == 0
    assert mail.outbox == []


def test_overdue_sends_one_mail_and_a_second_run_nothing(owner, strategy):
    initiative = InitiativeFactory(strategy=strategy, owner=owner, follow_up_on=days(-3))
    assert send_follow_up_reminders(today=TUESDAY)["overdue"] == 1
    assert send_follow_up_reminders(today=TUESDAY) == {"due_soon": 0, "overdue": 0, "digest": 0}
    assert send_follow_up_reminders(today=days(1))["overdue"] == 0
    assert len(mail.outbox) == 1
    assert SentReminder.objects.filter(item_type="initiative", item_id=initiative.pk).count() == 1
    assert (
        AuditEntry.objects.filter(
            action="strategy.initiative.reminded", object_id=str(initiative.pk)
        ).count()
        == 1
    )


def test_due_soon_then_overdue_are_two_mails(owner, focus_area):
    GoalFactory(focus_area=focus_area, owner=owner, follow_up_on=days(14))
    send_follow_up_reminders(today=TUESDAY)
    send_follow_up_reminders(today=days(15))
    assert len(mail.outbox) == 2


def test_the_database_refuses_a_second_record_of_the_same_reminder(owner):
    from django.db import IntegrityError, transaction

    SentReminder.objects.create(
        kind="overdue", item_type="goal", item_id=1, follow_up_on=TUESDAY, user=owner
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        SentReminder.objects.create(
            kind="overdue", item_type="goal", item_id=1, follow_up_on=TUESDAY, user=owner
        )
    SentReminder.objects.create(kind="digest", user=owner, iso_week="2026-W49")
    with pytest.raises(IntegrityError), transaction.atomic():
        SentReminder.objects.create(kind="digest", user=owner, iso_week="2026-W49")


def test_monday_digest_lists_the_items_once_per_week(owner, focus_area, strategy):
    goal = GoalFactory(focus_area=focus_area, owner=owner, follow_up_on=MONDAY, text="Mål A")
    InitiativeFactory(strategy=strategy, owner=owner, follow_up_on=MONDAY, title="Indsats B")
    GoalFactory(focus_area=focus_area, owner=owner, follow_up_on=None, text="Uden dato")
    counts = send_follow_up_reminders(today=MONDAY)
    assert counts["digest"] == 1
    digests = [m for m in mail.outbox if "Ugentligt overblik" in m.subject]
    assert len(digests) == 1
    assert "Mål A" in digests[0].body and "Indsats B" in digests[0].body
    assert "Uden dato" not in digests[0].body
    assert AuditEntry.objects.filter(
        action="strategy.goal.reminded", object_id=str(goal.pk), context__reason="digest"
    ).exists()
    assert send_follow_up_reminders(today=MONDAY)["digest"] == 0
    assert send_follow_up_reminders(today=MONDAY + datetime.timedelta(days=7))["digest"] == 1
    assert len([m for m in mail.outbox if "Ugentligt overblik" in m.subject]) == 2


def test_no_digest_on_other_days(owner, focus_area):
    GoalFactory(focus_area=focus_area, owner=owner, follow_up_on=days(3))
    assert send_follow_up_reminders(today=TUESDAY)["digest"] == 0


def test_a_user_who_chose_none_gets_nothing(owner, focus_area):
    owner.reminder_preference = ReminderPreference.NONE
    owner.save()
    GoalFactory(focus_area=focus_area, owner=owner, follow_up_on=MONDAY)
    assert send_follow_up_reminders(today=MONDAY) == {"due_soon": 0, "overdue": 0, "digest": 0}
    assert mail.outbox == []


def test_archived_done_inactive_and_addressless_are_skipped(owner, focus_area, strategy):
    GoalFactory(focus_area=focus_area, owner=owner, follow_up_on=MONDAY, status=GoalStatus.ACHIEVED)
    InitiativeFactory(
        strategy=strategy, owner=owner, follow_up_on=MONDAY, status=InitiativeStatus.IMPLEMENTED
    )
    archived = GoalFactory(owner=owner, follow_up_on=MONDAY)
    archived.focus_area.strategy.status = StrategyStatus.ARCHIVED
    archived.focus_area.strategy.save()
    gone = UserFactory(municipality=owner.municipality, is_active=False)
    GoalFactory(focus_area=focus_area, owner=gone, follow_up_on=MONDAY)
    silent = UserFactory(municipality=owner.municipality, email="")
    GoalFactory(focus_area=focus_area, owner=silent, follow_up_on=MONDAY)
    assert send_follow_up_reminders(today=MONDAY) == {"due_soon": 0, "overdue": 0, "digest": 0}
    assert mail.outbox == []


def test_dry_run_command_sends_nothing(owner, focus_area):
    GoalFactory(focus_area=focus_area, owner=owner, follow_up_on=days(-1))
    out = io.StringIO()
    call_command("send_reminders", "--dry-run", stdout=out)
    assert "Ville sende" in out.getvalue()
    assert mail.outbox == [] and not SentReminder.objects.exists()


def test_the_task_runs_through_the_worker(monkeypatch, owner, focus_area):
    from django_tasks_db.management.commands import db_worker

    GoalFactory(focus_area=focus_area, owner=owner, follow_up_on=datetime.date(2000, 1, 1))
    monkeypatch.setattr(db_worker, "close_old_connections", lambda: None)
    send_follow_up_reminders_task.enqueue()
    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)
    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)
    overdue = [m for m in mail.outbox if "Påmindelse" in m.subject]
    assert len(overdue) == 1


def test_the_user_turns_reminders_off_on_their_own_page(login, coordinator):
    client = login(coordinator)
    url = reverse("accounts:reminder_preference")
    page = client.get(url)
    assert page.status_code == 200 and "Ugentligt overblik og påmindelser" in page.content.decode()
    assert client.post(url, {"reminder_preference": "none"}).status_code == 302
    coordinator.refresh_from_db()
    assert coordinator.reminder_preference == ReminderPreference.NONE
    assert AuditEntry.objects.filter(
        action="accounts.user.reminder_preference", object_id=str(coordinator.pk)
    ).exists()
    assert client.post(url, {"reminder_preference": "bogus"}).status_code == 200
    coordinator.refresh_from_db()
    assert coordinator.reminder_preference == ReminderPreference.NONE
