"""The status a goal's indicators suggest (issue 12: "the portal suggests the goal's status").

One place computes it: `suggest_goal_statuses`. The measurement recompute (nightly chain,
imports, the demo), a measurement entered or corrected by hand, a changed baseline or target,
and a changed link between an indicator and a goal all call it; pages and the API only read
the stored `Goal.suggested_status`.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from django.db.models import OuterRef, Subquery
from django.utils import timezone

from apps.core.audit import audit_entry
from apps.core.models import AuditEntry
from apps.kpis.choices import TrackStatus
from apps.kpis.models import Indicator, Measurement
from apps.kpis.targets import judge
from apps.strategy.choices import StrategyStatus, SuggestedStatus
from apps.strategy.models import Goal

SUGGESTION_CHANGED = "strategy.goal.suggestion_changed"


def combine(statuses: Iterable[str]) -> str:
    """One goal's suggestion from its indicators' trajectory statuses (`TrackStatus` values).

    - no indicator linked → "" (no suggestion);
    - any indicator behind ("bagud") → behind;
    - every indicator achieved ("nået") → achieved;
    - otherwise any indicator on track or achieved → on track ("på sporet"): an achieved
      indicator beside one without data says the goal is at least on its way, but "nået"
      needs every indicator to be reached, so achieved + no data is on track;
    - indicators, but none with a measurement and a target to judge → no data ("ingen data").
    """
    statuses = list(statuses)
    if not statuses:
        return ""
    if TrackStatus.BEHIND in statuses:
        return SuggestedStatus.BEHIND
    if all(s == TrackStatus.ACHIEVED for s in statuses):
        return SuggestedStatus.ACHIEVED
    if any(s in (TrackStatus.ON_TRACK, TrackStatus.ACHIEVED) for s in statuses):
        return SuggestedStatus.ON_TRACK
    return SuggestedStatus.NO_DATA


def indicator_track_status(indicator: Indicator) -> str:
    """An indicator's trajectory status from its latest measurement with a value, judged
    against the straight path from baseline to target in that measurement's period. Needs
    `latest_value` and `latest_period` annotated (see `_indicators_with_latest`)."""
    if indicator.latest_value is None:
        return TrackStatus.NO_DATA
    return judge(indicator, indicator.latest_value, indicator.latest_period).status


def _indicators_with_latest(indicator_ids):
    latest = (
        Measurement.objects.filter(indicator_id=OuterRef("pk"), value__isnull=False)
        .order_by("-period")
        .values
    )
    return Indicator.objects.filter(pk__in=indicator_ids).annotate(
        latest_value=Subquery(latest("value")[:1]),
        latest_period=Subquery(latest("period")[:1]),
    )


def suggest_goal_statuses(
    *,
    municipality_id: int,
    goal_ids: Iterable[int] | None = None,
    indicator_ids: Iterable[int] | None = None,
) -> int:
    """Compute and store `Goal.suggested_status` for the municipality's goals (all of them,
    or those in `goal_ids`, or those linked to `indicator_ids`); returns how many changed.

    Each linked indicator's latest measurement is judged against its baseline and target
    trajectory (`apps.kpis.targets.judge`), and the goal's suggestion is `combine`d from
    them (rule in its docstring). Goals of archived strategies are left as they were.

    Only a real change is written: `suggested_status` and `suggested_at` (when the
    suggestion took its current value), with one audit entry per changed goal
    (`strategy.goal.suggestion_changed`, actor none: the portal), so the goal's history
    shows when the suggestion changed. A constant number of queries whatever the number of
    goals: goals, links, indicators with their latest measurement, one bulk update and one
    bulk insert of audit entries.
    """
    goals_qs = Goal.objects.filter(focus_area__strategy__municipality_id=municipality_id).exclude(
        focus_area__strategy__status=StrategyStatus.ARCHIVED
    )
    links = Indicator.goals.through.objects.filter(indicator__municipality_id=municipality_id)
    if goal_ids is not None:
        goals_qs = goals_qs.filter(pk__in=list(goal_ids))
    if indicator_ids is not None:
        goals_qs = goals_qs.filter(indicators__in=list(indicator_ids)).distinct()
    goals = list(goals_qs.only("pk", "text", "suggested_status", "suggested_at", "version"))
    if not goals:
        return 0
    by_goal: dict[int, list[int]] = defaultdict(list)
    for goal_id, indicator_id in links.filter(goal_id__in=[g.pk for g in goals]).values_list(
        "goal_id", "indicator_id"
    ):
        by_goal[goal_id].append(indicator_id)
    wanted = {i for ids in by_goal.values() for i in ids}
    status_of = (
        {ind.pk: indicator_track_status(ind) for ind in _indicators_with_latest(wanted)}
        if wanted
        else {}
    )
    now = timezone.now()
    changed, entries = [], []
    for goal in goals:
        new = combine(status_of[i] for i in by_goal.get(goal.pk, []) if i in status_of)
        if new == goal.suggested_status:
            continue
        entries.append(
            audit_entry(
                actor=None,
                action=SUGGESTION_CHANGED,
                obj=goal,
                changes={"suggested_status": [goal.suggested_status, new]},
                context={"indicators": len(by_goal.get(goal.pk, []))},
                municipality_id=municipality_id,
            )
        )
        goal.suggested_status = new
        goal.suggested_at = now if new else None
        changed.append(goal)
    if changed:
        Goal.objects.bulk_update(changed, ["suggested_status", "suggested_at"])
        AuditEntry.objects.bulk_create(entries)
    return len(changed)
