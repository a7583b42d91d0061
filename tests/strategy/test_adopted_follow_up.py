"""Follow-up on an adopted strategy: the political text is locked, owners, follow-up dates,
status and progress stay editable with history; adoption events are kept, never replaced."""

import datetime
import importlib
import re

import pytest
from django.apps import apps as django_apps
from django.urls import reverse

from apps.core.models import AuditEntry
from apps.strategy import services
from apps.strategy.choices import GoalStatus, InitiativeStatus, StrategyStatus
from apps.strategy.models import Goal, Initiative, Strategy, StrategyAdoption
from apps.strategy.services.rules import (
    FOLLOW_UP_FIELDS,
    GOAL_FIELDS,
    INITIATIVE_FIELDS,
    POLITICAL_FIELDS,
)
from tests.factories import InitiativeFactory, StrategyFactory

pytestmark = pytest.mark.django_db

NOTE = "Vedtaget tekst – genåbn strategien for at ændre ordlyden"


@pytest.fixture
def adopted(strategy, coordinator):
    services.strategy_adopt(
        strategy=strategy,
        actor=coordinator,
        expected_version=1,
        adopted_on=datetime.date(2022, 3, 12),
    )
    strategy.refresh_from_db()
    return strategy


def test_every_editable_field_is_either_political_or_follow_up():
    for kind, fields in (("goal", GOAL_FIELDS), ("initiative", INITIATIVE_FIELDS)):
        political, follow_up = set(POLITICAL_FIELDS[kind]), set(FOLLOW_UP_FIELDS[kind])
        assert not political & follow_up
        assert political | follow_up == set(fields)
    assert set(FOLLOW_UP_FIELDS["goal"]) == {"owner", "follow_up_on", "status"}
    assert {"text", "department"} <= set(POLITICAL_FIELDS["goal"])


def test_follow_up_fields_of_a_goal_change_on_an_adopted_strategy_with_history(
    adopted, goal, coordinator, leader
):
    services.goal_update(
        goal=goal,
        actor=coordinator,
        data={
            "text": goal.text,
            "owner": leader,
            "follow_up_on": datetime.date(2027, 6, 30),
            "status": GoalStatus.ON_TRACK,
        },
        expected_version=1,
    )
    goal.refresh_from_db()
    assert (goal.owner, goal.follow_up_on, goal.status, goal.version) == (
        leader,
        datetime.date(2027, 6, 30),
        GoalStatus.ON_TRACK,
        2,
    )
    entry = AuditEntry.objects.for_object(goal).get()
    assert entry.action == "strategy.goal.updated"
    assert entry.changes["status"] == ["not_started", "on_track"]
    adopted.refresh_from_db()
    assert (adopted.status, adopted.adopted_on) == (
        StrategyStatus.ADOPTED,
        datetime.date(2022, 3, 12),
    )


def test_follow_up_on_an_adopted_strategy_keeps_the_version_check(adopted, goal, coordinator):
    services.goal_update(
        goal=goal, actor=coordinator, data={"status": "behind"}, expected_version=1
    )
    with pytest.raises(services.EditConflict):
        services.goal_update(
            goal=goal, actor=coordinator, data={"status": "achieved"}, expected_version=1
        )
    assert Goal.objects.get(pk=goal.pk).status == GoalStatus.BEHIND


@pytest.mark.parametrize(
    "change", [{"text": "Ny ordlyd"}, {"department": None}], ids=["text", "department"]
)
def test_a_political_goal_field_is_refused_at_the_field_and_nothing_is_written(
    adopted, goal, coordinator, leader, change
):
    with pytest.raises(services.StrategyReadOnlyError) as error:
        services.goal_update(
            goal=goal,
            actor=coordinator,
            data={"owner": leader, "status": "on_track"} | change,
            expected_version=1,
        )
    [field] = change
    assert error.value.message_dict == {field: [NOTE]}
    goal.refresh_from_db()
    assert (goal.text, goal.owner, goal.status, goal.version) == (
        "Flere SOSU-elever",
        None,
        GoalStatus.NOT_STARTED,
        1,
    )
    assert not AuditEntry.objects.for_object(goal).exists()


def test_initiative_progress_changes_on_an_adopted_strategy_but_its_content_does_not(
    strategy, coordinator, leader
):
    initiative = InitiativeFactory(strategy=strategy, title="Vejledning", purpose="Flere")
    services.strategy_adopt(strategy=strategy, actor=coordinator, expected_version=1)
    services.initiative_update(
        initiative=initiative,
        actor=coordinator,
        data={
            "title": "Vejledning",
            "status": InitiativeStatus.IN_PROGRESS,
            "next_step": "Kursus i marts",
            "follow_up_on": datetime.date(2027, 1, 15),
            "owner": leader,
        },
        expected_version=1,
    )
    initiative.refresh_from_db()
    assert (initiative.status, initiative.next_step, initiative.owner) == (
        InitiativeStatus.IN_PROGRESS,
        "Kursus i marts",
        leader,
    )
    with pytest.raises(services.StrategyReadOnlyError) as error:
        services.initiative_update(
            initiative=initiative,
            actor=coordinator,
            data={"purpose": "Andet formål", "budget_dkk": 1000, "next_step": "x"},
            expected_version=2,
        )
    assert error.value.message_dict == {"purpose": [NOTE], "budget_dkk": [NOTE]}
    initiative.refresh_from_db()
    assert (initiative.purpose, initiative.next_step, initiative.version) == (
        "Flere",
        "Kursus i marts",
        2,
    )


def test_an_archived_strategy_takes_no_follow_up_field_either(strategy, goal, coordinator, leader):
    initiative = InitiativeFactory(strategy=strategy)
    services.strategy_archive(strategy=strategy, actor=coordinator, expected_version=1)
    with pytest.raises(services.StrategyReadOnlyError, match="arkiveret"):
        services.goal_update(
            goal=goal, actor=coordinator, data={"owner": leader}, expected_version=1
        )
    with pytest.raises(services.StrategyReadOnlyError, match="arkiveret"):
        services.initiative_update(
            initiative=initiative, actor=coordinator, data={"status": "done"}, expected_version=1
        )
    assert Goal.objects.get(pk=goal.pk).owner is None
    assert Initiative.objects.get(pk=initiative.pk).version == 1


def test_structure_stays_locked_on_an_adopted_strategy(adopted, goal, coordinator):
    with pytest.raises(services.StrategyReadOnlyError):
        services.goal_create(focus_area=goal.focus_area, actor=coordinator, data={"text": "y"})
    with pytest.raises(services.StrategyReadOnlyError):
        services.goal_delete(goal=goal, actor=coordinator, expected_version=1)
    with pytest.raises(services.StrategyReadOnlyError):
        services.focus_area_update(
            focus_area=goal.focus_area, actor=coordinator, data={"title": "x"}, expected_version=1
        )


def test_leader_rights_are_unchanged_on_an_adopted_strategy(
    login, adopted, goal, school_goal, leader
):
    client = login(leader)
    # Leaders post status on their own department's goals, as before...
    response = client.post(
        reverse("strategy:goal_status", args=[goal.pk]), {"status": "behind", "note": "Få"}
    )
    assert response.status_code == 302
    assert Goal.objects.get(pk=goal.pk).status == GoalStatus.BEHIND
    # ...not on another department's, and they never edit goals.
    response = client.post(
        reverse("strategy:goal_status", args=[school_goal.pk]), {"status": "behind", "note": "x"}
    )
    assert response.status_code == 403
    response = client.post(
        reverse("strategy:goal_update", args=[goal.pk]),
        {"owner": leader.pk, "status": "achieved", "version": 2},
    )
    assert response.status_code == 403
    assert Goal.objects.get(pk=goal.pk).owner is None


def test_adopting_again_adds_an_event_and_keeps_the_first_date(adopted, coordinator, admin_user):
    [first] = StrategyAdoption.objects.filter(strategy=adopted)
    assert (first.adopted_on, first.adopted_by) == (datetime.date(2022, 3, 12), coordinator)
    services.strategy_reopen(strategy=adopted, actor=coordinator, expected_version=2)
    services.strategy_adopt(strategy=adopted, actor=admin_user, expected_version=3)
    adopted.refresh_from_db()
    assert adopted.adopted_on == datetime.date(2022, 3, 12)
    events = list(StrategyAdoption.objects.filter(strategy=adopted).order_by("id"))
    assert [(e.adopted_on, e.adopted_by) for e in events] == [
        (datetime.date(2022, 3, 12), coordinator),
        (datetime.date(2022, 3, 12), admin_user),
    ]
    assert events[0].pk == first.pk


def test_a_new_adoption_date_given_explicitly_is_used_and_the_first_event_is_kept(
    adopted, coordinator
):
    services.strategy_reopen(strategy=adopted, actor=coordinator, expected_version=2)
    services.strategy_adopt(
        strategy=adopted,
        actor=coordinator,
        expected_version=3,
        adopted_on=datetime.date(2024, 5, 1),
    )
    adopted.refresh_from_db()
    assert adopted.adopted_on == datetime.date(2024, 5, 1)
    assert list(
        StrategyAdoption.objects.filter(strategy=adopted)
        .order_by("id")
        .values_list("adopted_on", flat=True)
    ) == [datetime.date(2022, 3, 12), datetime.date(2024, 5, 1)]


def test_the_migration_records_an_adoption_event_for_every_adopted_strategy(municipality):
    adopted = StrategyFactory(
        municipality=municipality, status="adopted", adopted_on=datetime.date(2022, 3, 12)
    )
    archived = StrategyFactory(
        municipality=municipality, status="archived", adopted_on=datetime.date(2020, 1, 1)
    )
    StrategyFactory(municipality=municipality)
    migration = importlib.import_module("apps.strategy.migrations.0003_strategy_adoption_events")
    migration.record_existing_adoptions(django_apps, None)
    assert sorted(
        StrategyAdoption.objects.values_list("strategy_id", "adopted_on", "adopted_by")
    ) == sorted(
        [
            (adopted.pk, datetime.date(2022, 3, 12), None),
            (archived.pk, datetime.date(2020, 1, 1), None),
        ]
    )
    assert Strategy.objects.count() == 3


def test_the_goal_page_of_an_adopted_strategy_shows_the_wording_read_only(
    login, adopted, goal, coordinator, leader
):
    client = login(coordinator)
    page = client.get(reverse("strategy:goal_detail", args=[goal.pk])).text
    assert re.search(r'<textarea name="text"[^>]*disabled', page)
    assert re.search(r'<select name="department"[^>]*disabled', page)
    assert not re.search(r'<select name="owner"[^>]*disabled', page)
    assert NOTE in page
    # A forged POST changing the wording is refused at the field; nothing is written.
    response = client.post(
        reverse("strategy:goal_update", args=[goal.pk]),
        {"text": "Ny ordlyd", "owner": leader.pk, "follow_up_on": "", "version": 1},
    )
    assert response.status_code == 200
    assert f"Målsætning</a>: {NOTE}" in response.text
    goal.refresh_from_db()
    assert (goal.text, goal.owner, goal.version) == ("Flere SOSU-elever", None, 1)
    response = client.post(
        reverse("strategy:goal_update", args=[goal.pk]),
        {"owner": leader.pk, "follow_up_on": "2027-01-31", "version": 1},
    )
    assert response.status_code == 302
    goal.refresh_from_db()
    assert (goal.text, goal.owner, goal.follow_up_on) == (
        "Flere SOSU-elever",
        leader,
        datetime.date(2027, 1, 31),
    )


def test_the_initiative_form_of_an_adopted_strategy_takes_progress_only(
    login, strategy, coordinator
):
    initiative = InitiativeFactory(strategy=strategy, title="Vejledning", purpose="Flere")
    services.strategy_adopt(strategy=strategy, actor=coordinator, expected_version=1)
    client = login(coordinator)
    url = reverse("strategy:initiative_update", args=[initiative.pk])
    page = client.get(url).text
    assert re.search(r'<input type="text" name="title"[^>]*disabled', page)
    assert not re.search(r'<textarea name="next_step"[^>]*disabled', page)
    response = client.post(
        url, {"purpose": "Andet", "status": "in_progress", "next_step": "Kursus", "version": 1}
    )
    assert response.status_code == 200 and NOTE in response.text
    initiative.refresh_from_db()
    assert (initiative.purpose, initiative.status) == ("Flere", InitiativeStatus.IDEA)
    response = client.post(url, {"status": "in_progress", "next_step": "Kursus", "version": 1})
    assert response.status_code == 302
    initiative.refresh_from_db()
    assert (initiative.title, initiative.status, initiative.next_step) == (
        "Vejledning",
        InitiativeStatus.IN_PROGRESS,
        "Kursus",
    )


def test_an_adopted_strategys_goal_owner_can_be_reminded_from_the_goal_page(
    login, adopted, goal, coordinator, leader, mailoutbox
):
    Goal.objects.filter(pk=goal.pk).update(owner=leader)
    client = login(coordinator)
    page = client.get(reverse("strategy:goal_detail", args=[goal.pk])).content.decode()
    assert "Send påmindelse til" in page

    client.post(reverse("strategy:goal_remind", args=[goal.pk]))

    assert [m.to for m in mailoutbox] == [[leader.email]]
    assert AuditEntry.objects.filter(action="strategy.goal.reminded").count() == 1
