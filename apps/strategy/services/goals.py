"""Services for goals: add, edit, remove and reorder within a grid cell."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core.audit import audit_record, model_changes, snapshot
from apps.strategy.choices import SUGGESTED_GOAL_STATUS, GoalStatus
from apps.strategy.models import FocusArea, Goal, Strategy
from apps.strategy.services.rules import (
    GOAL_FIELDS,
    apply_fields,
    check_municipality,
    check_version,
    clear_status_decision,
    ensure_editable,
    ensure_follow_up_allowed,
    ensure_follow_up_editable,
    locked,
    save_versioned,
)

# ---------------------------------------------------------------------------
# Goals
# ---------------------------------------------------------------------------


def _cell(focus_area_id: int, department_id: int | None):
    """The goals sharing one grid cell: a focus area's common goals or one department's."""
    return Goal.objects.filter(focus_area_id=focus_area_id, department_id=department_id)


def goal_create(*, focus_area: FocusArea, actor, data: dict[str, Any]) -> Goal:
    """Add a goal at the end of its cell (focus area × department, or the common goals)."""
    with transaction.atomic():
        strategy = locked(Strategy, focus_area.strategy_id)
        ensure_editable(strategy)
        goal = Goal(focus_area=focus_area)
        apply_fields(goal, data, GOAL_FIELDS)
        check_municipality(strategy, owner=goal.owner, department=goal.department)
        last = _cell(focus_area.pk, goal.department_id).aggregate(m=Max("order"))["m"]
        goal.order = 0 if last is None else last + 1
        goal.full_clean()
        goal.save()
        audit_record(
            actor=actor,
            action="strategy.goal.created",
            obj=goal,
            changes={f: [None, v] for f, v in snapshot(goal, GOAL_FIELDS).items() if v},
            context={"version": goal.version, "strategy_id": strategy.pk},
            municipality_id=strategy.municipality_id,
        )
    return goal


def goal_update(*, goal: Goal, actor, data: dict[str, Any], expected_version) -> Goal:
    """Edit a goal's text, department, owner, follow-up date or status (version-checked).

    On an adopted strategy only the follow-up fields (rules.GOAL_FOLLOW_UP_FIELDS) change;
    a changed wording or department is refused at its field. Archived: nothing changes."""
    with transaction.atomic():
        goal = locked(Goal, goal.pk)
        strategy = goal.focus_area.strategy
        check_version(goal, expected_version)
        ensure_follow_up_editable(strategy, obj=goal, data=data, kind="goal")
        before = snapshot(goal, GOAL_FIELDS)
        old_department_id = goal.department_id
        apply_fields(goal, data, GOAL_FIELDS)
        cleared = clear_status_decision(goal) if goal.status != before["status"] else {}
        check_municipality(strategy, owner=goal.owner, department=goal.department)
        if goal.department_id != old_department_id:
            last = _cell(goal.focus_area_id, goal.department_id).aggregate(m=Max("order"))["m"]
            goal.order = 0 if last is None else last + 1
        goal.full_clean()
        save_versioned(
            obj=goal,
            actor=actor,
            action="strategy.goal.updated",
            before=before,
            fields=GOAL_FIELDS,
            strategy=strategy,
            extra_changes=cleared,
        )
    return goal


def goal_delete(*, goal: Goal, actor, expected_version) -> None:
    """Remove a goal from a draft strategy; the audit entry keeps what it said."""
    with transaction.atomic():
        goal = locked(Goal, goal.pk)
        strategy = goal.focus_area.strategy
        ensure_editable(strategy)
        check_version(goal, expected_version)
        audit_record(
            actor=actor,
            action="strategy.goal.deleted",
            obj=goal,
            changes={f: [v, None] for f, v in snapshot(goal, GOAL_FIELDS).items() if v},
            context={"strategy_id": strategy.pk, "focus_area_id": goal.focus_area_id},
            municipality_id=strategy.municipality_id,
        )
        goal.delete()


def goal_move(*, goal: Goal, actor, direction: str) -> Goal:
    """Move a goal one place up or down within its cell; orders are renumbered 0..n-1."""
    if direction not in {"up", "down"}:
        raise ValidationError(_("Ukendt retning: vælg op eller ned."))
    with transaction.atomic():
        strategy = locked(Strategy, goal.focus_area.strategy_id)
        ensure_editable(strategy)
        siblings = list(
            _cell(goal.focus_area_id, goal.department_id)
            .select_for_update(of=("self",))
            .order_by("order", "id")
        )
        index = next(i for i, g in enumerate(siblings) if g.pk == goal.pk)
        target = index - 1 if direction == "up" else index + 1
        if not 0 <= target < len(siblings):
            return siblings[index]
        old_order = siblings[index].order
        siblings[index], siblings[target] = siblings[target], siblings[index]
        changed = []
        for position, sibling in enumerate(siblings):
            if sibling.order != position:
                sibling.order = position
                changed.append(sibling)
        Goal.objects.bulk_update(changed, ["order"])
        moved = siblings[target]
        audit_record(
            actor=actor,
            action="strategy.goal.moved",
            obj=moved,
            changes={"order": [old_order, moved.order]},
            context={"strategy_id": strategy.pk},
            municipality_id=strategy.municipality_id,
        )
    return moved


# ---------------------------------------------------------------------------
# The owner's answer to the suggested status (apps.kpis.goal_status)
# ---------------------------------------------------------------------------

DECISION_FIELDS = ("status", "status_reason", "status_decided_suggestion")


def _decide(*, goal: Goal, actor, status: str, reason: str, action: str) -> Goal:
    """Record a decision on the locked `goal`: the status, the reason (empty when the
    suggestion was confirmed), who, when and which suggestion it answered; version bumped
    and audited with the suggestion and the reason."""
    strategy = goal.focus_area.strategy
    before = snapshot(goal, DECISION_FIELDS)
    goal.status = status
    goal.status_reason = reason
    goal.status_decided_suggestion = goal.suggested_status
    goal.status_decided_by = actor
    goal.status_decided_at = timezone.now()
    goal.full_clean()
    goal.version += 1
    goal.save()
    audit_record(
        actor=actor,
        action=action,
        obj=goal,
        changes=model_changes(before, snapshot(goal, DECISION_FIELDS)),
        context={
            "version": goal.version,
            "strategy_id": strategy.pk,
            "suggested_status": goal.suggested_status,
            "reason": reason,
        },
        municipality_id=strategy.municipality_id,
    )
    return goal


def _locked_for_decision(goal: Goal, expected_version) -> Goal:
    goal = locked(Goal, goal.pk)
    check_version(goal, expected_version)
    # Status is a follow-up field: allowed on a draft and an adopted strategy, never on an
    # archived one. Who may decide is checked by the caller
    # (apps.strategy.permissions.can_decide_goal_status).
    ensure_follow_up_allowed(goal.focus_area.strategy)
    if not goal.suggested_status:
        raise ValidationError(
            _("Ingen nøgletal følger målsætningen, så der er intet forslag at tage stilling til.")
        )
    return goal


def goal_suggestion_confirm(
    *, goal: Goal, actor, expected_version, expected_suggestion: str | None = None
) -> Goal:
    """The owner confirms the status the indicators suggest ("Bekræft forslaget"): the goal
    gets the matching status (nået, på sporet, bagud), any earlier reason is cleared, and
    who confirmed which suggestion when is stored and audited. "Ingen data" cannot be
    confirmed: it suggests no status. With `expected_suggestion` (the suggestion the owner
    saw), a suggestion that has changed since is refused rather than confirmed unseen."""
    with transaction.atomic():
        goal = _locked_for_decision(goal, expected_version)
        if expected_suggestion is not None and expected_suggestion != goal.suggested_status:
            raise ValidationError(
                _(
                    "Nøgletallenes forslag er ændret, siden du åbnede siden. Se det nye "
                    "forslag, og bekræft igen."
                )
            )
        status = SUGGESTED_GOAL_STATUS.get(goal.suggested_status)
        if status is None:
            raise ValidationError(
                _(
                    "Nøgletallene har ingen målinger at vurdere endnu, så der er ingen "
                    "status at bekræfte. Vælg en anden status med en begrundelse."
                )
            )
        return _decide(
            goal=goal,
            actor=actor,
            status=status,
            reason="",
            action="strategy.goal.suggestion_confirmed",
        )


def goal_status_override(*, goal: Goal, actor, status: str, reason: str, expected_version) -> Goal:
    """The owner chooses another status than the suggested one ("Vælg anden status"); a
    reason is required, and it is stored on the goal, shown on its page and audited."""
    errors = {}
    if status not in GoalStatus.values:
        errors["status"] = _("Vælg en status fra listen.")
    reason = (reason or "").strip()
    if not reason:
        errors["reason"] = _(
            "Skriv en begrundelse: hvorfor passer nøgletallenes forslag ikke på målsætningen?"
        )
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        goal = _locked_for_decision(goal, expected_version)
        return _decide(
            goal=goal,
            actor=actor,
            status=status,
            reason=reason,
            action="strategy.goal.status_overridden",
        )
