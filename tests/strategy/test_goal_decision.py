"""The owner answers the indicators' suggested status: "Bekræft forslaget" or "Vælg anden
status" with a reason; both stored on the goal, shown on its page and in its history."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from apps.core.models import AuditEntry
from apps.core.roles import Role
from apps.strategy import services
from apps.strategy.choices import StrategyStatus
from apps.strategy.models import Goal
from tests.factories import FocusAreaFactory, GoalFactory, StrategyFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def goal(municipality, elderly):
    strategy = StrategyFactory(municipality=municipality, status=StrategyStatus.ADOPTED)
    return GoalFactory(
        focus_area=FocusAreaFactory(strategy=strategy),
        department=elderly,
        suggested_status="behind",
    )


def _confirm(client, goal, **extra):
    data = {"version": goal.version, "suggestion": goal.suggested_status} | extra
    return client.post(reverse("strategy:goal_suggestion_confirm", args=[goal.pk]), data)


def _override(client, goal, *, status="on_track", reason="", version=None):
    return client.post(
        reverse("strategy:goal_status_override", args=[goal.pk]),
        {
            "anden-status-status": status,
            "anden-status-reason": reason,
            "anden-status-version": goal.version if version is None else version,
        },
    )


def test_confirming_sets_the_suggested_status_and_records_who(login, goal, leader):
    response = _confirm(login(leader), goal)

    assert response.status_code == 302
    goal.refresh_from_db()
    assert goal.status == "behind"
    assert goal.status_decided_by == leader
    assert goal.status_decided_at is not None
    assert goal.status_decided_suggestion == "behind"
    assert goal.status_reason == ""
    assert goal.version == 2
    entry = AuditEntry.objects.for_object(goal).get()
    assert entry.action == "strategy.goal.suggestion_confirmed"
    assert entry.changes["status"] == ["not_started", "behind"]
    assert entry.context["suggested_status"] == "behind"
    # The strategy stays adopted: status is follow-up, not the adopted text.
    assert goal.focus_area.strategy.status == StrategyStatus.ADOPTED

    html = login(leader).get(reverse("strategy:goal_detail", args=[goal.pk])).content.decode()
    assert "bekræftede forslaget" in html
    assert "Forslaget bekræftet" in html  # the history
    assert "Målsætningens status svarer til forslaget." in html


def test_overriding_needs_a_reason_shown_next_to_the_field(login, goal, leader):
    response = _override(login(leader), goal, reason="   ")

    assert response.status_code == 200
    html = response.content.decode()
    assert "Skriv en begrundelse: hvorfor passer nøgletallenes forslag ikke" in html
    assert 'id="id_anden-status-reason"' in html
    assert 'aria-invalid="true"' in html or "is-invalid" in html
    assert '<details class="goal-override" open>' in html
    goal.refresh_from_db()
    assert (goal.status, goal.version, goal.status_reason) == ("not_started", 1, "")
    assert not AuditEntry.objects.for_object(goal).exists()


def test_an_override_with_a_reason_is_kept_shown_and_in_the_history(login, goal, coordinator):
    reason = "Tallene for 2024 er fra før den nye introduktion; vi er på sporet."
    response = _override(login(coordinator), goal, status="on_track", reason=reason)

    assert response.status_code == 302
    goal.refresh_from_db()
    assert goal.status == "on_track"
    assert goal.status_reason == reason
    assert goal.status_decided_by == coordinator
    assert goal.status_decided_suggestion == "behind"
    entry = AuditEntry.objects.for_object(goal).get()
    assert entry.action == "strategy.goal.status_overridden"
    assert entry.changes["status_reason"] == ["", reason]
    assert entry.context["reason"] == reason

    html = login(coordinator).get(reverse("strategy:goal_detail", args=[goal.pk])).text
    assert "Begrundelse for status" in html
    assert "Tallene for 2024 er fra før den nye introduktion" in html
    assert "valgte en anden status end forslaget" in html
    assert "Anden status end forslaget valgt" in html  # the history row
    assert "Nøgletal: Bagud" in html
    assert "Bekræft forslaget" in html  # status differs from the suggestion: may still confirm

    # Confirming afterwards clears the reason (the status now follows the suggestion).
    _confirm(login(coordinator), goal)
    goal.refresh_from_db()
    assert (goal.status, goal.status_reason) == ("behind", "")


def test_the_goals_owner_may_decide_even_without_a_department_role(login, goal, municipality):
    owner = UserFactory(role=Role.HR, municipality=municipality)
    Goal.objects.filter(pk=goal.pk).update(owner=owner)
    goal.refresh_from_db()
    page = login(owner).get(reverse("strategy:goal_detail", args=[goal.pk])).text
    assert "Bekræft forslaget" in page
    assert _confirm(login(owner), goal).status_code == 302
    goal.refresh_from_db()
    assert goal.status == "behind"


@pytest.mark.parametrize(
    ("persona", "expected"),
    [("other_leader", 403), ("hr", 403), ("kkr", 403), ("outsider", 404)],
)
def test_who_may_not_decide(request, login, goal, persona, expected):
    client = login(request.getfixturevalue(persona))
    assert _confirm(client, goal).status_code == expected
    assert _override(client, goal, reason="Fordi").status_code == expected
    goal.refresh_from_db()
    assert (goal.status, goal.version) == ("not_started", 1)


def test_the_page_offers_the_buttons_only_to_those_who_may(login, goal, other_leader, leader):
    url = reverse("strategy:goal_detail", args=[goal.pk])
    other = login(other_leader).get(url).text
    assert "Nøgletal: Bagud" in other
    assert "Bekræft forslaget" not in other and "Vælg anden status" not in other
    own = login(leader).get(url).text
    assert "Bekræft forslaget" in own and "Vælg anden status" in own


def test_a_stale_page_is_refused(login, goal, leader):
    Goal.objects.filter(pk=goal.pk).update(version=2)
    response = _override(login(leader), goal, reason="Fordi", version=1)
    assert response.status_code == 200
    assert "ændret af en anden" in response.text
    goal.refresh_from_db()
    assert goal.status == "not_started"


def test_a_suggestion_changed_since_the_page_was_opened_is_not_confirmed(login, goal, leader):
    Goal.objects.filter(pk=goal.pk).update(suggested_status="achieved")
    response = login(leader).post(
        reverse("strategy:goal_suggestion_confirm", args=[goal.pk]),
        {"version": 1, "suggestion": "behind"},
        follow=True,
    )
    assert "Nøgletallenes forslag er ændret" in response.text
    goal.refresh_from_db()
    assert goal.status == "not_started"


def test_no_data_and_no_indicator_cannot_be_confirmed(goal, leader):
    Goal.objects.filter(pk=goal.pk).update(suggested_status="no_data")
    with pytest.raises(ValidationError, match="ingen målinger"):
        services.goal_suggestion_confirm(goal=goal, actor=leader, expected_version=1)
    Goal.objects.filter(pk=goal.pk).update(suggested_status="")
    with pytest.raises(ValidationError, match="intet forslag"):
        services.goal_status_override(
            goal=goal, actor=leader, status="behind", reason="Fordi", expected_version=1
        )


def test_an_archived_strategys_goal_takes_no_decision(goal, coordinator):
    goal.focus_area.strategy.status = StrategyStatus.ARCHIVED
    goal.focus_area.strategy.save()
    with pytest.raises(ValidationError, match="arkiveret"):
        services.goal_suggestion_confirm(goal=goal, actor=coordinator, expected_version=1)


def test_a_status_set_another_way_clears_the_old_decision(login, goal, leader, coordinator):
    _override(login(leader), goal, status="on_track", reason="Introforløbet virker fra 2025")
    goal.refresh_from_db()
    assert goal.status_reason

    services.status_update_create(
        actor=coordinator, status="behind", note="Vi er alligevel bagud", goal=goal
    )

    goal.refresh_from_db()
    assert (goal.status, goal.status_reason, goal.status_decided_at) == ("behind", "", None)
    entry = AuditEntry.objects.for_object(goal).filter(action="strategy.goal.status_posted").get()
    assert entry.changes["status_reason"] == ["Introforløbet virker fra 2025", ""]
    html = login(leader).get(reverse("strategy:goal_detail", args=[goal.pk])).text
    assert "Begrundelse for status</dt>" not in html
    assert "valgte en anden status end forslaget" not in html
