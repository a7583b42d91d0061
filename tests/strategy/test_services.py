"""Strategy services: audit with old → new, version conflicts, read-only versions, copies."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from apps.core.models import AuditEntry
from apps.strategy import services
from apps.strategy.choices import GoalStatus, InitiativeStatus, StrategyStatus
from apps.strategy.models import Goal, Initiative, StatusUpdate, Strategy
from tests.factories import GoalFactory, InitiativeFactory

pytestmark = pytest.mark.django_db


def test_goal_update_records_who_and_old_and_new_values(goal, coordinator, leader):
    services.goal_update(
        goal=goal,
        actor=coordinator,
        data={"owner": leader, "follow_up_on": datetime.date(2025, 3, 1), "status": "on_track"},
        expected_version=1,
    )
    goal.refresh_from_db()
    assert (goal.owner, goal.status, goal.version) == (leader, GoalStatus.ON_TRACK, 2)
    entry = AuditEntry.objects.for_object(goal).get()
    assert entry.actor == coordinator
    assert entry.action == "strategy.goal.updated"
    assert entry.changes == {
        "owner": [None, str(leader)],
        "follow_up_on": [None, "2025-03-01"],
        "status": ["not_started", "on_track"],
    }


def test_a_stale_version_is_refused_with_the_other_persons_change(goal, coordinator, admin_user):
    services.goal_update(goal=goal, actor=admin_user, data={"text": "Ny tekst"}, expected_version=1)
    with pytest.raises(services.EditConflict) as conflict:
        services.goal_update(
            goal=goal, actor=coordinator, data={"text": "Min tekst"}, expected_version=1
        )
    goal.refresh_from_db()
    assert goal.text == "Ny tekst"
    [entry] = conflict.value.entries
    assert entry.actor == admin_user
    assert entry.changes["text"] == ["Flere SOSU-elever", "Ny tekst"]


def test_an_unchanged_save_records_nothing_and_keeps_the_version(goal, coordinator):
    services.goal_update(goal=goal, actor=coordinator, data={"text": goal.text}, expected_version=1)
    goal.refresh_from_db()
    assert goal.version == 1
    assert not AuditEntry.objects.for_object(goal).exists()


@pytest.mark.parametrize("persona", ["kkr", "admin_user"])
def test_only_coordinators_leaders_and_hr_can_own_a_goal(request, goal, coordinator, persona):
    with pytest.raises(ValidationError) as error:
        services.goal_update(
            goal=goal,
            actor=coordinator,
            data={"owner": request.getfixturevalue(persona)},
            expected_version=1,
        )
    assert (
        "uddannelseskonsulent, leder eller HR-medarbejder" in error.value.message_dict["owner"][0]
    )


def test_an_owner_from_another_municipality_is_refused(goal, coordinator, outsider):
    with pytest.raises(ValidationError) as error:
        services.goal_update(
            goal=goal, actor=coordinator, data={"owner": outsider}, expected_version=1
        )
    assert error.value.message_dict["owner"] == ["Den ansvarlige skal være en bruger i kommunen."]
    goal.refresh_from_db()
    assert goal.owner is None


def test_an_adopted_strategys_wording_is_read_only_until_reopened(strategy, goal, coordinator):
    services.strategy_adopt(strategy=strategy, actor=coordinator, expected_version=1)
    strategy.refresh_from_db()
    assert strategy.status == StrategyStatus.ADOPTED
    assert strategy.adopted_on is not None
    with pytest.raises(services.StrategyReadOnlyError, match="Vedtaget tekst"):
        services.goal_update(goal=goal, actor=coordinator, data={"text": "x"}, expected_version=1)
    with pytest.raises(services.StrategyReadOnlyError):
        services.goal_create(focus_area=goal.focus_area, actor=coordinator, data={"text": "y"})
    with pytest.raises(services.StrategyReadOnlyError):
        services.goal_delete(goal=goal, actor=coordinator, expected_version=1)
    assert Goal.objects.get(pk=goal.pk).text == "Flere SOSU-elever"

    services.strategy_reopen(strategy=strategy, actor=coordinator, expected_version=2)
    services.goal_update(goal=goal, actor=coordinator, data={"text": "x"}, expected_version=1)
    assert Goal.objects.get(pk=goal.pk).text == "x"
    actions = list(
        AuditEntry.objects.for_object(strategy).order_by("id").values_list("action", flat=True)
    )
    assert actions == ["strategy.strategy.adopted", "strategy.strategy.reopened"]


def test_status_notes_are_allowed_on_adopted_but_not_archived_strategies(
    strategy, goal, coordinator
):
    services.strategy_adopt(strategy=strategy, actor=coordinator, expected_version=1)
    services.status_update_create(actor=coordinator, goal=goal, status="behind", note="Få elever")
    assert Goal.objects.get(pk=goal.pk).status == GoalStatus.BEHIND
    services.strategy_archive(strategy=strategy, actor=coordinator, expected_version=2)
    with pytest.raises(services.StrategyReadOnlyError, match="arkiveret"):
        services.status_update_create(actor=coordinator, goal=goal, status="achieved", note="x")
    assert StatusUpdate.objects.filter(goal=goal).count() == 1


def test_copy_carries_goals_and_initiatives_and_keeps_history_on_the_old_version(
    strategy, focus_area, goal, common_goal, coordinator, leader
):
    initiative = InitiativeFactory(
        strategy=strategy, focus_area=focus_area, goals=[goal], budget_dkk=250000, owner=leader
    )
    services.status_update_create(actor=coordinator, goal=goal, status="in_progress", note="Godt")
    services.strategy_adopt(strategy=strategy, actor=coordinator, expected_version=1)

    new = services.strategy_copy(strategy=strategy, actor=coordinator, version_label="Version 2")

    assert (new.status, new.previous_version, new.version_label) == (
        StrategyStatus.DRAFT,
        strategy,
        "Version 2",
    )
    new_goals = Goal.objects.filter(focus_area__strategy=new)
    assert sorted(new_goals.values_list("text", flat=True)) == [
        "Flere SOSU-elever",
        "Færre frafald",
    ]
    copied_goal = new_goals.get(text="Flere SOSU-elever")
    assert copied_goal.status == GoalStatus.IN_PROGRESS
    assert copied_goal.status_updates.count() == 0
    assert not AuditEntry.objects.for_object(copied_goal).exists()
    copied = Initiative.objects.get(strategy=new)
    assert (
        list(copied.goals.all()),
        copied.focus_area.strategy,
        copied.budget_dkk,
        copied.owner,
    ) == (
        [copied_goal],
        new,
        250000,
        leader,
    )
    # The old version is untouched and keeps its notes and history.
    strategy.refresh_from_db()
    assert strategy.status == StrategyStatus.ADOPTED
    assert Initiative.objects.get(pk=initiative.pk).strategy == strategy
    assert goal.status_updates.count() == 1
    assert AuditEntry.objects.for_object(goal).filter(action__endswith="status_posted").exists()


def test_a_draft_cannot_be_copied(strategy, coordinator):
    with pytest.raises(ValidationError, match="Et udkast kan ikke kopieres"):
        services.strategy_copy(strategy=strategy, actor=coordinator, version_label="V2")
    assert Strategy.objects.count() == 1


def test_adopting_a_new_version_archives_the_one_it_replaces(strategy, coordinator):
    services.strategy_adopt(strategy=strategy, actor=coordinator, expected_version=1)
    new = services.strategy_copy(strategy=strategy, actor=coordinator, version_label="V2")
    services.strategy_adopt(strategy=new, actor=coordinator, expected_version=1)
    strategy.refresh_from_db()
    assert strategy.status == StrategyStatus.ARCHIVED


def test_goal_move_reorders_within_its_cell_only(focus_area, elderly, school, coordinator):
    first = GoalFactory(focus_area=focus_area, department=elderly, order=0, text="A")
    second = GoalFactory(focus_area=focus_area, department=elderly, order=1, text="B")
    elsewhere = GoalFactory(focus_area=focus_area, department=school, order=0, text="C")
    services.goal_move(goal=second, actor=coordinator, direction="up")
    cell = Goal.objects.filter(focus_area=focus_area, department=elderly).order_by("order")
    assert [g.text for g in cell] == ["B", "A"]
    assert Goal.objects.get(pk=elsewhere.pk).order == 0
    assert AuditEntry.objects.for_object(second).get().changes == {"order": [1, 0]}
    assert Goal.objects.get(pk=first.pk).order == 1


def test_goal_create_appends_to_its_cell_and_delete_keeps_an_audit_entry(
    focus_area, elderly, goal, coordinator
):
    new = services.goal_create(
        focus_area=focus_area, actor=coordinator, data={"text": "Ny", "department": elderly}
    )
    assert new.order == goal.order + 1
    services.goal_delete(goal=new, actor=coordinator, expected_version=1)
    assert not Goal.objects.filter(pk=new.pk).exists()
    entry = AuditEntry.objects.get(action="strategy.goal.deleted")
    assert entry.changes["text"] == ["Ny", None]
    assert entry.context["strategy_id"] == focus_area.strategy_id


def test_an_empty_goal_text_is_refused_and_nothing_is_written(focus_area, coordinator):
    with pytest.raises(ValidationError) as error:
        services.goal_create(focus_area=focus_area, actor=coordinator, data={"text": ""})
    assert "text" in error.value.message_dict
    assert not Goal.objects.exists()
    assert not AuditEntry.objects.exists()


def test_status_note_needs_a_known_status_and_a_note(goal, coordinator):
    with pytest.raises(ValidationError) as error:
        services.status_update_create(actor=coordinator, goal=goal, status="nonsense", note=" ")
    assert set(error.value.message_dict) == {"status", "note"}
    assert not StatusUpdate.objects.exists()


def test_initiative_update_checks_version_and_records_budget_change(strategy, coordinator):
    initiative = InitiativeFactory(strategy=strategy, budget_dkk=100000)
    services.initiative_update(
        initiative=initiative,
        actor=coordinator,
        data={"budget_dkk": 150000, "status": InitiativeStatus.IMPLEMENTED},
        expected_version=1,
    )
    initiative.refresh_from_db()
    assert initiative.implemented_year is not None
    entry = AuditEntry.objects.for_object(initiative).get()
    assert entry.changes["budget_dkk"] == ["100000", "150000"]
    with pytest.raises(services.EditConflict):
        services.initiative_update(
            initiative=initiative, actor=coordinator, data={"title": "x"}, expected_version=1
        )


def test_focus_area_changes_are_recorded(strategy, coordinator):
    area = services.focus_area_create(
        strategy=strategy, actor=coordinator, data={"title": "Fase 1"}
    )
    services.focus_area_update(
        focus_area=area,
        actor=coordinator,
        data={"title": "Fase 1: Rekruttering"},
        expected_version=1,
    )
    actions = list(
        AuditEntry.objects.for_object(area).order_by("id").values_list("action", flat=True)
    )
    assert actions == ["strategy.focusarea.created", "strategy.focusarea.updated"]


def test_a_department_of_another_municipality_is_refused(focus_area, other_department, coordinator):
    with pytest.raises(ValidationError) as error:
        services.goal_create(
            focus_area=focus_area,
            actor=coordinator,
            data={"text": "x", "department": other_department},
        )
    assert error.value.message_dict["department"] == ["Fagområdet hører ikke til kommunen."]
