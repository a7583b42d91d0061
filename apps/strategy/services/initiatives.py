"""Services for initiatives and for status notes (opfølgning) on goals and initiatives."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core.audit import audit_record, model_changes, snapshot
from apps.strategy.choices import GoalStatus, InitiativeStatus
from apps.strategy.models import Goal, Initiative, StatusUpdate, Strategy
from apps.strategy.services.rules import (
    INITIATIVE_FIELDS,
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
# Initiatives
# ---------------------------------------------------------------------------


def _check_initiative(strategy: Strategy, initiative: Initiative, goals) -> None:
    check_municipality(
        strategy,
        owner=initiative.owner,
        department=initiative.department,
        focus_area=initiative.focus_area,
        goals=goals,
    )
    if initiative.status == InitiativeStatus.IMPLEMENTED and not initiative.implemented_year:
        initiative.implemented_year = timezone.localdate().year


def _goal_texts(goals) -> str:
    """The linked goals as the history shows them: their texts, in a stable order."""
    return "; ".join(g.text[:80] for g in sorted(goals, key=lambda g: g.pk))


def initiative_create(*, strategy: Strategy, actor, data: dict[str, Any]) -> Initiative:
    """Add an initiative (indsats/anbefaling) to a draft strategy."""
    with transaction.atomic():
        strategy = locked(Strategy, strategy.pk)
        ensure_editable(strategy)
        initiative = Initiative(strategy=strategy)
        apply_fields(initiative, data, INITIATIVE_FIELDS)
        goals = list(data.get("goals") or ())
        _check_initiative(strategy, initiative, goals)
        last = Initiative.objects.filter(strategy=strategy).aggregate(m=Max("order"))["m"]
        initiative.order = 0 if last is None else last + 1
        initiative.full_clean()
        initiative.save()
        initiative.goals.set(goals)
        changes = {f: [None, v] for f, v in snapshot(initiative, INITIATIVE_FIELDS).items() if v}
        if goals:
            changes["goals"] = [None, _goal_texts(goals)]
        audit_record(
            actor=actor,
            action="strategy.initiative.created",
            obj=initiative,
            changes=changes,
            context={"version": initiative.version, "strategy_id": strategy.pk},
            municipality_id=strategy.municipality_id,
        )
    return initiative


def initiative_update(
    *, initiative: Initiative, actor, data: dict[str, Any], expected_version
) -> Initiative:
    """Edit an initiative (version-checked): every field on a draft; on an adopted strategy
    only the follow-up fields (rules.INITIATIVE_FOLLOW_UP_FIELDS), a changed political field
    is refused at its field; nothing on an archived one."""
    with transaction.atomic():
        initiative = locked(Initiative, initiative.pk)
        strategy = initiative.strategy
        check_version(initiative, expected_version)
        ensure_follow_up_editable(strategy, obj=initiative, data=data, kind="initiative")
        before = snapshot(initiative, INITIATIVE_FIELDS)
        before_goals = list(initiative.goals.order_by("pk"))
        apply_fields(initiative, data, INITIATIVE_FIELDS)
        goals = list(data["goals"]) if "goals" in data else None
        _check_initiative(strategy, initiative, goals)
        initiative.full_clean()
        extra = {}
        if goals is not None and {g.pk for g in goals} != {g.pk for g in before_goals}:
            initiative.goals.set(goals)
            extra["goals"] = [_goal_texts(before_goals), _goal_texts(goals)]
        save_versioned(
            obj=initiative,
            actor=actor,
            action="strategy.initiative.updated",
            before=before,
            fields=INITIATIVE_FIELDS,
            strategy=strategy,
            extra_changes=extra,
        )
    return initiative


# ---------------------------------------------------------------------------
# Status notes (opfølgning)
# ---------------------------------------------------------------------------


def status_update_create(
    *, actor, status: str, note: str, goal: Goal | None = None, initiative=None
) -> StatusUpdate:
    """Post a dated status note on a goal or an initiative and set the item's status to it.

    Allowed on draft and adopted strategies (follow-up of the strategy in force), never on
    archived ones. Who may post (coordinators; leaders on their own department's items) is
    checked by the caller with `apps.strategy.permissions.can_post_status`.
    """
    item = goal if goal is not None else initiative
    if (goal is None) == (initiative is None):
        raise ValueError("Pass exactly one of goal and initiative")
    choices = GoalStatus if goal is not None else InitiativeStatus
    errors = {}
    if status not in choices.values:
        errors["status"] = _("Vælg en status fra listen.")
    if not (note or "").strip():
        errors["note"] = _("Skriv en kort note om, hvordan det går.")
    if errors:
        raise ValidationError(errors)
    model = type(item)
    with transaction.atomic():
        item = locked(model, item.pk)
        strategy = item.focus_area.strategy if goal is not None else item.strategy
        ensure_follow_up_allowed(strategy)
        update = StatusUpdate(
            municipality_id=strategy.municipality_id,
            goal=item if goal is not None else None,
            initiative=item if initiative is not None else None,
            status=status,
            note=note.strip(),
            author=actor,
        )
        update.full_clean()
        update.save()
        before = snapshot(item, ("status",))
        item.status = status
        if status == InitiativeStatus.IMPLEMENTED and initiative is not None:
            item.implemented_year = item.implemented_year or timezone.localdate().year
        changes = model_changes(before, snapshot(item, ("status",)))
        if changes and goal is not None:
            changes |= clear_status_decision(item)
        if changes:
            item.version += 1
            item.save()
        audit_record(
            actor=actor,
            action=f"strategy.{model._meta.model_name}.status_posted",
            obj=item,
            changes=changes,
            context={
                "version": item.version,
                "strategy_id": strategy.pk,
                "note": update.note,
                "status_update_id": update.pk,
            },
            municipality_id=strategy.municipality_id,
        )
    return update
