"""Follow-up without chasing: the coordinator's list and e-mail reminders to owners."""

import datetime

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from apps.core.models import AuditEntry
from apps.strategy import services
from apps.strategy.choices import GoalStatus, StrategyStatus
from apps.strategy.models import Goal, StatusUpdate
from tests.factories import GoalFactory, InitiativeFactory, StrategyFactory

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def _days(n: int) -> datetime.date:
    return TODAY + datetime.timedelta(days=n)


def _age(goal: Goal, days: int) -> None:
    Goal.objects.filter(pk=goal.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=days)
    )


def test_followup_lists_overdue_due_soon_and_quiet_items_only(
    login, coordinator, municipality, focus_area, elderly
):
    overdue = GoalFactory(focus_area=focus_area, department=elderly, follow_up_on=_days(-3))
    soon = GoalFactory(focus_area=focus_area, follow_up_on=_days(20))
    GoalFactory(focus_area=focus_area, follow_up_on=_days(45), text="Senere")
    quiet = GoalFactory(focus_area=focus_area, text="Stille mål")
    _age(quiet, 200)
    recently_noted = GoalFactory(focus_area=focus_area, text="Opdateret mål")
    _age(recently_noted, 200)
    services.status_update_create(
        actor=coordinator, goal=recently_noted, status="in_progress", note="Vi er i gang"
    )
    GoalFactory(
        focus_area=focus_area, follow_up_on=_days(-1), status=GoalStatus.ACHIEVED, text="Nået mål"
    )
    archived = StrategyFactory(municipality=municipality, status=StrategyStatus.ARCHIVED)
    GoalFactory(focus_area__strategy=archived, follow_up_on=_days(-1), text="Arkiveret mål")
    initiative = InitiativeFactory(
        strategy=focus_area.strategy, follow_up_on=_days(10), title="Introforløb"
    )

    response = login(coordinator).get(reverse("strategy:followup"))
    html = response.text
    assert response.status_code == 200
    for goal in [overdue, soon, quiet]:
        assert reverse("strategy:goal_detail", args=[goal.pk]) in html
    for text in ["Senere", "Opdateret mål", "Nået mål", "Arkiveret mål"]:
        assert text not in html
    assert "Introforløb" in html
    assert reverse("strategy:initiative_detail", args=[initiative.pk]) in html
    assert "Opfølgningsdato overskredet med 3 dage" in html
    assert "Opfølgning om 20 dage" in html
    assert "Ingen opdatering i over 6 måneder" in html
    assert '<span class="status-badge status-bad">Overskredet</span>' in html


def test_followup_is_for_coordinators(login, leader, hr, kkr):
    for user in [leader, hr, kkr]:
        assert login(user).get(reverse("strategy:followup")).status_code == 403


def test_another_municipalitys_items_are_not_listed(login, outsider, goal):
    Goal.objects.filter(pk=goal.pk).update(follow_up_on=_days(-1))
    assert "Flere SOSU-elever" not in login(outsider).get(reverse("strategy:followup")).text


def test_reminder_mails_the_owner_a_direct_link_and_is_recorded(
    login, coordinator, leader, goal, settings
):
    settings.PORTAL_BASE_URL = "https://portal.example.dk"
    Goal.objects.filter(pk=goal.pk).update(owner=leader, follow_up_on=_days(-1))
    response = login(coordinator).post(
        reverse("strategy:goal_remind", args=[goal.pk]), {"next": reverse("strategy:followup")}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("strategy:followup")
    [message] = mail.outbox
    assert message.to == [leader.email]
    assert message.subject == "Påmindelse: opfølgning på målsætning"
    assert f"https://portal.example.dk/strategi/maal/{goal.pk}/" in message.body
    assert "Flere SOSU-elever" in message.body
    entry = AuditEntry.objects.get(action="strategy.goal.reminded")
    assert entry.actor == coordinator and entry.context["to"] == leader.email


def test_reminder_for_an_item_without_owner_explains_why_nothing_was_sent(login, coordinator, goal):
    client = login(coordinator)
    response = client.post(reverse("strategy:goal_remind", args=[goal.pk]), follow=True)
    assert "Målsætningen har ingen ansvarlig, så der er ingen at minde." in response.text
    assert mail.outbox == []


def test_initiative_reminder_links_to_the_initiative(login, coordinator, leader, strategy):
    initiative = InitiativeFactory(strategy=strategy, owner=leader, title="Vejlederkursus")
    login(coordinator).post(reverse("strategy:initiative_remind", args=[initiative.pk]))
    [message] = mail.outbox
    assert f"/strategi/indsatser/{initiative.pk}/" in message.body
    assert StatusUpdate.objects.count() == 0
