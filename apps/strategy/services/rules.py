"""The rules every strategy service shares: editable fields, read-only versions,
version checks (conflicts), same-municipality relations, versioned saves with audit."""

from __future__ import annotations

import copy
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext as _

from apps.core.audit import audit_record, model_changes, snapshot
from apps.core.models import AuditEntry
from apps.core.roles import Role
from apps.strategy.choices import StrategyStatus
from apps.strategy.models import Strategy

STRATEGY_FIELDS = ("title", "version_label", "period_start", "period_end", "purpose")
FOCUS_AREA_FIELDS = ("title", "description", "kkr_theme")
GOAL_FIELDS = ("text", "department", "owner", "follow_up_on", "status")
INITIATIVE_FIELDS = (
    "reference",
    "title",
    "focus_area",
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

# What adopting a strategy locks, and what stays open for follow-up (the one place this split
# is declared; services, forms and the grid's inline editor all read it).
#
# POLITICAL fields are the text and structure the city council decided: the strategy's own
# details, focus areas, a goal's wording and department, an initiative's content. They change
# only while the strategy is a draft (re-open it to change the wording).
# FOLLOW_UP fields are how the adopted strategy is carried out: who is responsible, when it is
# followed up, how it is going, what happens next. They stay editable while the strategy is
# adopted, by the same people as before, with history and version checks. An archived
# strategy changes in neither.
GOAL_FOLLOW_UP_FIELDS = ("owner", "follow_up_on", "status")
GOAL_POLITICAL_FIELDS = tuple(f for f in GOAL_FIELDS if f not in GOAL_FOLLOW_UP_FIELDS)
INITIATIVE_FOLLOW_UP_FIELDS = (
    "status",
    "implemented_year",
    "follow_up_on",
    "responsible",
    "owner",
    "next_step",
)
INITIATIVE_POLITICAL_FIELDS = tuple(
    f for f in INITIATIVE_FIELDS if f not in INITIATIVE_FOLLOW_UP_FIELDS
)
FOLLOW_UP_FIELDS = {"goal": GOAL_FOLLOW_UP_FIELDS, "initiative": INITIATIVE_FOLLOW_UP_FIELDS}
POLITICAL_FIELDS = {
    "strategy": STRATEGY_FIELDS,
    "focus_area": FOCUS_AREA_FIELDS,
    "goal": GOAL_POLITICAL_FIELDS,
    "initiative": INITIATIVE_POLITICAL_FIELDS,
}


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
    """Refuse changes to the text and structure of an adopted or archived strategy (adding,
    removing, moving, the strategy's and focus areas' own fields). Follow-up on an adopted
    strategy goes through `ensure_follow_up_editable` instead."""
    if strategy.status == StrategyStatus.ADOPTED:
        raise StrategyReadOnlyError(
            _(
                "Strategien er vedtaget, så dens indsatsområder og målsætninger kan ikke "
                "tilføjes, ændres eller fjernes. En uddannelseskonsulent skal genåbne den "
                "først. Ansvarlig, opfølgningsdato og status kan ændres uden at genåbne den."
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


def political_text_note() -> str:
    """The note shown at (and the error given for) a locked political field."""
    return _("Vedtaget tekst – genåbn strategien for at ændre ordlyden")


def ensure_follow_up_editable(
    strategy: Strategy, *, obj: models.Model, data: dict[str, Any], kind: str
) -> None:
    """Editing a goal or an initiative: a draft takes every field; an adopted strategy takes
    only its FOLLOW_UP_FIELDS, and a change to a POLITICAL field is refused at that field
    (nothing is written); an archived strategy takes nothing."""
    if strategy.status == StrategyStatus.ARCHIVED:
        raise StrategyReadOnlyError(_("Strategien er arkiveret og kan ikke ændres."))
    if strategy.status != StrategyStatus.ADOPTED:
        return
    political = POLITICAL_FIELDS[kind]
    current = snapshot(obj, political)
    probe = copy.copy(obj)
    apply_fields(probe, data, political)
    errors = {
        name: political_text_note()
        for name, value in snapshot(probe, political).items()
        if value != current[name]
    }
    if errors:
        raise StrategyReadOnlyError(errors)


def locked(model: type[models.Model], pk: int) -> Any:
    """Re-read the row and lock it until the transaction ends, so checks see fresh values."""
    return model.objects.select_for_update(of=("self",)).get(pk=pk)


def check_version(obj: models.Model, expected_version: int | str | None) -> None:
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


# Who can own a goal or an initiative: the people of the municipality who carry the work
# (uddannelseskonsulenter, ledere, HR). A KKR analyst only sees aggregates across
# municipalities and the system administrator runs the portal; neither follows up on a goal.
OWNER_ROLES = (Role.COORDINATOR, Role.LEADER, Role.HR)


def check_municipality(strategy: Strategy, **related: models.Model | None) -> None:
    """Owners, departments, focus areas and goals must be the strategy's municipality's; an
    owner must also have one of the OWNER_ROLES."""
    errors = {}
    for name, value in related.items():
        if value is None:
            continue
        if name == "focus_area" and value.strategy_id != strategy.pk:
            errors[name] = _("Indsatsområdet hører ikke til denne strategi.")
        elif name == "goals" and any(g.focus_area.strategy_id != strategy.pk for g in value):
            errors[name] = _("Målsætningerne skal høre til denne strategi.")
        elif name in {"owner", "department"} and value.municipality_id != strategy.municipality_id:
            errors[name] = (
                _("Den ansvarlige skal være en bruger i kommunen.")
                if name == "owner"
                else _("Fagområdet hører ikke til kommunen.")
            )
        elif name == "owner" and value.role not in OWNER_ROLES:
            errors[name] = _(
                "Den ansvarlige skal være uddannelseskonsulent, leder eller HR-medarbejder "
                "i kommunen."
            )
    if errors:
        raise ValidationError(errors)


def clear_status_decision(goal) -> dict:
    """A goal's status set another way than answering the suggestion (the edit form, a
    status note) is no longer that answer: the stored decision and its reason are cleared
    (the history keeps them). Returns the reason's audit change, if there was one."""
    changes = {"status_reason": [goal.status_reason, ""]} if goal.status_reason else {}
    goal.status_reason = ""
    goal.status_decided_by = None
    goal.status_decided_at = None
    goal.status_decided_suggestion = ""
    return changes


def apply_fields(obj: models.Model, data: dict[str, Any], fields: tuple[str, ...]) -> None:
    """Copy the editable `fields` present in `data` onto `obj` (others stay untouched)."""
    for name in fields:
        if name in data:
            setattr(obj, name, data[name])


def save_versioned(
    *,
    obj: models.Model,
    actor,
    action: str,
    before: dict,
    fields,
    strategy: Strategy,
    extra_changes: dict | None = None,
    **context,
) -> dict:
    """Save `obj` with its version bumped and audit the changed fields (nothing if unchanged).
    `extra_changes` are changes already written elsewhere, such as many-to-many links."""
    changes = model_changes(before, snapshot(obj, fields)) | (extra_changes or {})
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
