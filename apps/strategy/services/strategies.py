"""Services for strategy versions (create, edit, adopt, re-open, archive, copy) and
their focus areas."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core.audit import audit_record, snapshot
from apps.strategy.choices import StrategyStatus
from apps.strategy.models import FocusArea, Goal, Initiative, Strategy, StrategyAdoption
from apps.strategy.services.rules import (
    FOCUS_AREA_FIELDS,
    STRATEGY_FIELDS,
    apply_fields,
    check_version,
    ensure_editable,
    locked,
    save_versioned,
)

# ---------------------------------------------------------------------------
# Strategy
# ---------------------------------------------------------------------------


def strategy_create(*, actor, municipality, data: dict[str, Any]) -> Strategy:
    """Start a new draft strategy for the actor's municipality."""
    strategy = Strategy(municipality=municipality, status=StrategyStatus.DRAFT)
    apply_fields(strategy, data, STRATEGY_FIELDS)
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
        strategy = locked(Strategy, strategy.pk)
        ensure_editable(strategy)
        check_version(strategy, expected_version)
        before = snapshot(strategy, STRATEGY_FIELDS)
        apply_fields(strategy, data, STRATEGY_FIELDS)
        strategy.full_clean()
        save_versioned(
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
    save_versioned(
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
    """Adopt a draft: its political text locks (rules.POLITICAL_FIELDS), follow-up stays open;
    the adopted version it replaces is archived.

    Every adoption adds a `StrategyAdoption` event. The adoption date is `adopted_on` when
    given, else the date of the first adoption (adopting again after re-opening keeps it),
    else today.
    """
    with transaction.atomic():
        strategy = locked(Strategy, strategy.pk)
        check_version(strategy, expected_version)
        if strategy.status != StrategyStatus.DRAFT:
            raise ValidationError(_("Kun et udkast kan vedtages."))
        date = adopted_on or strategy.adopted_on or timezone.localdate()
        _set_status(
            strategy=strategy,
            actor=actor,
            status=StrategyStatus.ADOPTED,
            action="strategy.strategy.adopted",
            adopted_on=date,
        )
        StrategyAdoption.objects.create(
            strategy=strategy,
            adopted_on=date,
            adopted_by=actor,
            version_label=strategy.version_label,
            strategy_version=strategy.version,
        )
        if strategy.previous_version_id:
            previous = locked(Strategy, strategy.previous_version_id)
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
        strategy = locked(Strategy, strategy.pk)
        check_version(strategy, expected_version)
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
        strategy = locked(Strategy, strategy.pk)
        check_version(strategy, expected_version)
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
    skip = {"id", "strategy", "focus_area", "version", "created_at", "updated_at"}
    return [f for f in Initiative._meta.concrete_fields if f.name not in skip]


def strategy_copy(*, strategy: Strategy, actor, version_label: str) -> Strategy:
    """Copy an adopted (or archived) strategy into a new draft version.

    Focus areas, goals and initiatives are carried over, and so are the indicators that
    follow each goal (with the suggestion they give); status notes, the owners' decisions on
    suggestions and the audit history stay with the old version, which is left unchanged.
    """
    version_label = (version_label or "").strip()
    if not version_label:
        raise ValidationError(
            {"version_label": _("Skriv en versionsbetegnelse, fx ”Version 2025”.")}
        )
    with transaction.atomic():
        strategy = locked(Strategy, strategy.pk)
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
                    suggested_status=g.suggested_status,
                    suggested_at=g.suggested_at,
                    order=g.order,
                )
                for g in goals
            ]
        )
        goal_map = {old.pk: fresh.pk for old, fresh in zip(goals, new_goals, strict=True)}
        # The indicators following each goal follow its copy too (the link rows belong to
        # apps.kpis; they are reached through the relation, never by importing it).
        indicator_links = Goal.indicators.through
        indicator_links.objects.bulk_create(
            indicator_links(indicator_id=link.indicator_id, goal_id=goal_map[link.goal_id])
            for link in indicator_links.objects.filter(goal_id__in=goal_map)
        )
        initiatives = list(Initiative.objects.filter(strategy=strategy).order_by("id"))
        new_initiatives = Initiative.objects.bulk_create(
            [
                Initiative(
                    strategy=new,
                    focus_area_id=area_map.get(i.focus_area_id),
                    **{f.attname: getattr(i, f.attname) for f in _carried_initiative_fields()},
                )
                for i in initiatives
            ]
        )
        initiative_map = {
            old.pk: fresh.pk for old, fresh in zip(initiatives, new_initiatives, strict=True)
        }
        links = Initiative.goals.through
        links.objects.bulk_create(
            links(initiative_id=initiative_map[link.initiative_id], goal_id=goal_map[link.goal_id])
            for link in links.objects.filter(initiative__strategy=strategy)
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
        strategy = locked(Strategy, strategy.pk)
        ensure_editable(strategy)
        last = FocusArea.objects.filter(strategy=strategy).aggregate(m=Max("order"))["m"]
        area = FocusArea(strategy=strategy, order=0 if last is None else last + 1)
        apply_fields(area, data, FOCUS_AREA_FIELDS)
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
        area = locked(FocusArea, focus_area.pk)
        strategy = area.strategy
        ensure_editable(strategy)
        check_version(area, expected_version)
        before = snapshot(area, FOCUS_AREA_FIELDS)
        apply_fields(area, data, FOCUS_AREA_FIELDS)
        area.full_clean()
        save_versioned(
            obj=area,
            actor=actor,
            action="strategy.focusarea.updated",
            before=before,
            fields=FOCUS_AREA_FIELDS,
            strategy=strategy,
        )
    return area
