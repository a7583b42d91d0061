"""Every write to a strategy goes through here (AGENTS.md "Writes go through services").

Each service validates (`full_clean()` plus the rules below), writes inside one
`transaction.atomic()`, and records an audit entry with who, old and new value. The rules:

- Only a draft strategy can be edited; an adopted version is read-only until a coordinator
  re-opens it, and an archived version never changes (`StrategyReadOnlyError`).
- Status notes (opfølgning) may be posted while a strategy is a draft or adopted.
- Editable rows carry a `version`; a save whose expected version is stale is refused with
  `EditConflict`, which carries the other person's recorded change, so nothing is silently
  overwritten.
- Owners, departments and focus areas must belong to the strategy's own municipality.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core.audit import audit_record, model_changes, snapshot
from apps.core.models import AuditEntry
from apps.strategy.choices import GoalStatus, InitiativeStatus, StrategyStatus
from apps.strategy.models import FocusArea, Goal, Initiative, StatusUpdate, Strategy

STRATEGY_FIELDS = ("title", "version_label", "period_start", "period_end", "purpose")
FOCUS_AREA_FIELDS = ("title", "description", "kkr_theme")
GOAL_FIELDS = ("text", "department", "owner", "follow_up_on", "status")
INITIATIVE_FIELDS = (
    "reference",
    "title",
    "focus_area",
    "goal",
    "department",
    "purpose",
    "aim",
    "actions",
    "follow_up",
    "follow_up_on",
    "baseline",
    "budget_dkk",
    "budget_note",
    "responsible",
    "owner",
    "next_step",
    "origin",
    "status",
    "implemented_year",
)


class StrategyReadOnlyError(ValidationError):
    """The strategy is adopted or archived, so its content cannot change."""


class EditConflict(Exception):
    """Somebody saved the row after the editor loaded it; `entries` are their changes."""

    def __init__(self, *, obj: models.Model, entries: list[AuditEntry]):
        self.obj = obj
        self.entries = entries
        super().__init__(
            f"{obj._meta.label} {obj.pk} is at version {obj.version}, the editor had an older one"
        )


# ---------------------------------------------------------------------------
# Shared rules
# ---------------------------------------------------------------------------


def ensure_editable(strategy: Strategy) -> None:
    """Refuse changes to an adopted or archived strategy."""
    if strategy.status == StrategyStatus.ADOPTED:
        raise StrategyReadOnlyError(
            _(
                "Strategien er vedtaget og kan kun læses. En uddannelseskonsulent skal "
                "genåbne den, før den kan ændres."
            )
        )
    if strategy.status == StrategyStatus.ARCHIVED:
        raise StrategyReadOnlyError(_("Strategien er arkiveret og kan ikke ændres."))


def ensure_follow_up_allowed(strategy: Strategy) -> None:
    """Status notes are refused only on archived strategies."""
    if strategy.status == StrategyStatus.ARCHIVED:
        raise StrategyReadOnlyError(
            _("Strategien er arkiveret, så der kan ikke skrives opfølgning på den.")
        )


def _locked(model: type[models.Model], pk: int) -> Any:
    return model.objects.select_for_update(of=("self",)).get(pk=pk)


def _check_version(obj: models.Model, expected_version: int | str | None) -> None:
    """A missing or unreadable expected version counts as stale: never overwrite blindly."""
    try:
        expected = int(expected_version)
    except (TypeError, ValueError):
        expected = 0
    if expected != obj.version:
        entries = list(
            AuditEntry.objects.for_object(obj)
            .filter(context__version__gt=expected)
            .order_by("occurred_at", "id")
        )
        raise EditConflict(obj=obj, entries=entries)


def _check_municipality(strategy: Strategy, **related: models.Model | None) -> None:
    """Owners, departments, focus areas and goals must be the strategy's municipality's."""
    errors = {}
    for name, value in related.items():
        if value is None:
            continue
        if name == "focus_area" and value.strategy_id != strategy.pk:
            errors[name] = _("Indsatsområdet hører ikke til denne strategi.")
        elif name == "goal" and value.focus_area.strategy_id != strategy.pk:
            errors[name] = _("Målsætningen hører ikke til denne strategi.")
        elif name in {"owner", "department"} and value.municipality_id != strategy.municipality_id:
            errors[name] = (
                _("Den ansvarlige skal være en bruger i kommunen.")
                if name == "owner"
                else _("Fagområdet hører ikke til kommunen.")
            )
    if errors:
        raise ValidationError(errors)


def _apply(obj: models.Model, data: dict[str, Any], fields: tuple[str, ...]) -> None:
    for name in fields:
        if name in data:
            setattr(obj, name, data[name])


def _save_versioned(
    *, obj: models.Model, actor, action: str, before: dict, fields, strategy: Strategy, **context
) -> dict:
    """Save `obj` with its version bumped and audit the changed fields (nothing if unchanged)."""
    changes = model_changes(before, snapshot(obj, fields))
    if not changes:
        return changes
    obj.version += 1
    obj.save()
    audit_record(
        actor=actor,
        action=action,
        obj=obj,
        changes=changes,
        context={"version": obj.version, "strategy_id": strategy.pk, **context},
        municipality_id=strategy.municipality_id,
    )
    return changes


# ---------------------------------------------------------------------------
# Strategy
# ---------------------------------------------------------------------------


def strategy_create(*, actor, municipality, data: dict[str, Any]) -> Strategy:
    """Start a new draft strategy for the actor's municipality."""
    strategy = Strategy(municipality=municipality, status=StrategyStatus.DRAFT)
    _apply(strategy, data, STRATEGY_FIELDS)
    strategy.full_clean()
    with transaction.atomic():
        strategy.save()
        audit_record(
            actor=actor,
            action="strategy.strategy.created",
            obj=strategy,
            changes={f: [None, v] for f, v in snapshot(strategy, STRATEGY_FIELDS).items() if v},
            context={"version": strategy.version, "strategy_id": strategy.pk},
        )
    return strategy


def strategy_update(
    *, strategy: Strategy, actor, data: dict[str, Any], expected_version
) -> Strategy:
    """Change a draft strategy's title, version label, period or purpose."""
    with transaction.atomic():
        strategy = _locked(Strategy, strategy.pk)
        ensure_editable(strategy)
        _check_version(strategy, expected_version)
        before = snapshot(strategy, STRATEGY_FIELDS)
        _apply(strategy, data, STRATEGY_FIELDS)
        strategy.full_clean()
        _save_versioned(
            obj=strategy,
            actor=actor,
            action="strategy.strategy.updated",
            before=before,
            fields=STRATEGY_FIELDS,
            strategy=strategy,
        )
    return strategy


def _set_status(*, strategy: Strategy, actor, status: str, action: str, **extra) -> None:
    before = snapshot(strategy, ("status", "adopted_on"))
    strategy.status = status
    for name, value in extra.items():
        setattr(strategy, name, value)
    _save_versioned(
        obj=strategy,
        actor=actor,
        action=action,
        before=before,
        fields=("status", "adopted_on"),
        strategy=strategy,
    )


def strategy_adopt(
    *, strategy: Strategy, actor, expected_version, adopted_on: datetime.date | None = None
) -> Strategy:
    """Adopt a draft (it becomes read-only); the adopted version it replaces is archived."""
    with transaction.atomic():
        strategy = _locked(Strategy, strategy.pk)
        _check_version(strategy, expected_version)
        if strategy.status != StrategyStatus.DRAFT:
            raise ValidationError(_("Kun et udkast kan vedtages."))
        _set_status(
            strategy=strategy,
            actor=actor,
            status=StrategyStatus.ADOPTED,
            action="strategy.strategy.adopted",
            adopted_on=adopted_on or timezone.localdate(),
        )
        if strategy.previous_version_id:
            previous = _locked(Strategy, strategy.previous_version_id)
            if previous.status == StrategyStatus.ADOPTED:
                _set_status(
                    strategy=previous,
                    actor=actor,
                    status=StrategyStatus.ARCHIVED,
                    action="strategy.strategy.archived",
                    replaced_by=strategy.pk,
                )
    return strategy


def strategy_reopen(*, strategy: Strategy, actor, expected_version) -> Strategy:
    """Re-open an adopted strategy as a draft so it can be edited again."""
    with transaction.atomic():
        strategy = _locked(Strategy, strategy.pk)
        _check_version(strategy, expected_version)
        if strategy.status != StrategyStatus.ADOPTED:
            raise ValidationError(_("Kun en vedtaget strategi kan genåbnes."))
        _set_status(
            strategy=strategy,
            actor=actor,
            status=StrategyStatus.DRAFT,
            action="strategy.strategy.reopened",
        )
    return strategy


def strategy_archive(*, strategy: Strategy, actor, expected_version) -> Strategy:
    """Archive a draft or adopted strategy; archived versions never change again."""
    with transaction.atomic():
        strategy = _locked(Strategy, strategy.pk)
        _check_version(strategy, expected_version)
        if strategy.status == StrategyStatus.ARCHIVED:
            raise ValidationError(_("Strategien er allerede arkiveret."))
        _set_status(
            strategy=strategy,
            actor=actor,
            status=StrategyStatus.ARCHIVED,
            action="strategy.strategy.archived",
        )
    return strategy


def _carried_initiative_fields():
    skip = {"id", "strategy", "focus_area", "goal", "version", "created_at", "updated_at"}
    return [f for f in Initiative._meta.concrete_fields if f.name not in skip]


def strategy_copy(*, strategy: Strategy, actor, version_label: str) -> Strategy:
    """Copy an adopted (or archived) strategy into a new draft version.

    Focus areas, goals and initiatives are carried over; status notes and the audit
    history stay with the old version, which is left unchanged.
    """
    version_label = (version_label or "").strip()
    if not version_label:
        raise ValidationError(
            {"version_label": _("Skriv en versionsbetegnelse, fx ”Version 2025”.")}
        )
    with transaction.atomic():
        strategy = _locked(Strategy, strategy.pk)
        if strategy.status == StrategyStatus.DRAFT:
            raise ValidationError(
                _("Et udkast kan ikke kopieres. Vedtag det først, eller redigér det direkte.")
            )
        new = Strategy(
            municipality_id=strategy.municipality_id,
            title=strategy.title,
            version_label=version_label,
            period_start=strategy.period_start,
            period_end=strategy.period_end,
            purpose=strategy.purpose,
            previous_version=strategy,
            status=StrategyStatus.DRAFT,
        )
        new.full_clean()
        new.save()
        areas = list(FocusArea.objects.filter(strategy=strategy).order_by("order", "id"))
        new_areas = FocusArea.objects.bulk_create(
            [
                FocusArea(
                    strategy=new,
                    order=a.order,
                    title=a.title,
                    description=a.description,
                    kkr_theme_id=a.kkr_theme_id,
                )
                for a in areas
            ]
        )
        area_map = {old.pk: fresh.pk for old, fresh in zip(areas, new_areas, strict=True)}
        goals = list(Goal.objects.filter(focus_area__strategy=strategy).order_by("id"))
        new_goals = Goal.objects.bulk_create(
            [
                Goal(
                    focus_area_id=area_map[g.focus_area_id],
                    department_id=g.department_id,
                    text=g.text,
                    owner_id=g.owner_id,
                    follow_up_on=g.follow_up_on,
                    status=g.status,
                    order=g.order,
                )
                for g in goals
            ]
        )
        goal_map = {old.pk: fresh.pk for old, fresh in zip(goals, new_goals, strict=True)}
        initiatives = list(Initiative.objects.filter(strategy=strategy).order_by("id"))
        Initiative.objects.bulk_create(
            [
                Initiative(
                    strategy=new,
                    focus_area_id=area_map.get(i.focus_area_id),
                    goal_id=goal_map.get(i.goal_id),
                    **{f.attname: getattr(i, f.attname) for f in _carried_initiative_fields()},
                )
                for i in initiatives
            ]
        )
        counts = {"focus_areas": len(areas), "goals": len(goals), "initiatives": len(initiatives)}
        audit_record(
            actor=actor,
            action="strategy.strategy.created",
            obj=new,
            changes={"version_label": [None, version_label]},
            context={"version": new.version, "strategy_id": new.pk, "copied_from": strategy.pk}
            | counts,
        )
        audit_record(
            actor=actor,
            action="strategy.strategy.copied",
            obj=strategy,
            context={"strategy_id": strategy.pk, "copied_to": new.pk} | counts,
        )
    return new


# ---------------------------------------------------------------------------
# Focus areas
# ---------------------------------------------------------------------------


def focus_area_create(*, strategy: Strategy, actor, data: dict[str, Any]) -> FocusArea:
    """Add a focus area at the end of a draft strategy."""
    with transaction.atomic():
        strategy = _locked(Strategy, strategy.pk)
        ensure_editable(strategy)
        last = FocusArea.objects.filter(strategy=strategy).aggregate(m=Max("order"))["m"]
        area = FocusArea(strategy=strategy, order=0 if last is None else last + 1)
        _apply(area, data, FOCUS_AREA_FIELDS)
        area.full_clean()
        area.save()
        audit_record(
            actor=actor,
            action="strategy.focusarea.created",
            obj=area,
            changes={f: [None, v] for f, v in snapshot(area, FOCUS_AREA_FIELDS).items() if v},
            context={"version": area.version, "strategy_id": strategy.pk},
            municipality_id=strategy.municipality_id,
        )
    return area


def focus_area_update(
    *, focus_area: FocusArea, actor, data: dict[str, Any], expected_version
) -> FocusArea:
    """Rename or re-describe a focus area of a draft strategy."""
    with transaction.atomic():
        area = _locked(FocusArea, focus_area.pk)
        strategy = area.strategy
        ensure_editable(strategy)
        _check_version(area, expected_version)
        before = snapshot(area, FOCUS_AREA_FIELDS)
        _apply(area, data, FOCUS_AREA_FIELDS)
        area.full_clean()
        _save_versioned(
            obj=area,
            actor=actor,
            action="strategy.focusarea.updated",
            before=before,
            fields=FOCUS_AREA_FIELDS,
            strategy=strategy,
        )
    return area


# ---------------------------------------------------------------------------
# Goals
# ---------------------------------------------------------------------------


def _cell(focus_area_id: int, department_id: int | None):
    """The goals sharing one grid cell: a focus area's common goals or one department's."""
    return Goal.objects.filter(focus_area_id=focus_area_id, department_id=department_id)


def goal_create(*, focus_area: FocusArea, actor, data: dict[str, Any]) -> Goal:
    """Add a goal at the end of its cell (focus area × department, or the common goals)."""
    with transaction.atomic():
        strategy = _locked(Strategy, focus_area.strategy_id)
        ensure_editable(strategy)
        goal = Goal(focus_area=focus_area)
        _apply(goal, data, GOAL_FIELDS)
        _check_municipality(strategy, owner=goal.owner, department=goal.department)
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
    """Edit a goal's text, department, owner, follow-up date or status (version-checked)."""
    with transaction.atomic():
        goal = _locked(Goal, goal.pk)
        strategy = goal.focus_area.strategy
        ensure_editable(strategy)
        _check_version(goal, expected_version)
        before = snapshot(goal, GOAL_FIELDS)
        old_department_id = goal.department_id
        _apply(goal, data, GOAL_FIELDS)
        _check_municipality(strategy, owner=goal.owner, department=goal.department)
        if goal.department_id != old_department_id:
            last = _cell(goal.focus_area_id, goal.department_id).aggregate(m=Max("order"))["m"]
            goal.order = 0 if last is None else last + 1
        goal.full_clean()
        _save_versioned(
            obj=goal,
            actor=actor,
            action="strategy.goal.updated",
            before=before,
            fields=GOAL_FIELDS,
            strategy=strategy,
        )
    return goal


def goal_delete(*, goal: Goal, actor, expected_version) -> None:
    """Remove a goal from a draft strategy; the audit entry keeps what it said."""
    with transaction.atomic():
        goal = _locked(Goal, goal.pk)
        strategy = goal.focus_area.strategy
        ensure_editable(strategy)
        _check_version(goal, expected_version)
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
        strategy = _locked(Strategy, goal.focus_area.strategy_id)
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
# Initiatives
# ---------------------------------------------------------------------------


def _check_initiative(strategy: Strategy, initiative: Initiative) -> None:
    _check_municipality(
        strategy,
        owner=initiative.owner,
        department=initiative.department,
        focus_area=initiative.focus_area,
        goal=initiative.goal,
    )
    if initiative.status == InitiativeStatus.IMPLEMENTED and not initiative.implemented_year:
        initiative.implemented_year = timezone.localdate().year


def initiative_create(*, strategy: Strategy, actor, data: dict[str, Any]) -> Initiative:
    """Add an initiative (indsats/anbefaling) to a draft strategy."""
    with transaction.atomic():
        strategy = _locked(Strategy, strategy.pk)
        ensure_editable(strategy)
        initiative = Initiative(strategy=strategy)
        _apply(initiative, data, INITIATIVE_FIELDS)
        _check_initiative(strategy, initiative)
        last = Initiative.objects.filter(strategy=strategy).aggregate(m=Max("order"))["m"]
        initiative.order = 0 if last is None else last + 1
        initiative.full_clean()
        initiative.save()
        audit_record(
            actor=actor,
            action="strategy.initiative.created",
            obj=initiative,
            changes={f: [None, v] for f, v in snapshot(initiative, INITIATIVE_FIELDS).items() if v},
            context={"version": initiative.version, "strategy_id": strategy.pk},
            municipality_id=strategy.municipality_id,
        )
    return initiative


def initiative_update(
    *, initiative: Initiative, actor, data: dict[str, Any], expected_version
) -> Initiative:
    """Edit an initiative of a draft strategy (version-checked)."""
    with transaction.atomic():
        initiative = _locked(Initiative, initiative.pk)
        strategy = initiative.strategy
        ensure_editable(strategy)
        _check_version(initiative, expected_version)
        before = snapshot(initiative, INITIATIVE_FIELDS)
        _apply(initiative, data, INITIATIVE_FIELDS)
        _check_initiative(strategy, initiative)
        initiative.full_clean()
        _save_versioned(
            obj=initiative,
            actor=actor,
            action="strategy.initiative.updated",
            before=before,
            fields=INITIATIVE_FIELDS,
            strategy=strategy,
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
        item = _locked(model, item.pk)
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
