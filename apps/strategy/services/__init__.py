"""Every write to a strategy goes through here (AGENTS.md "Writes go through services").

Each service validates (`full_clean()` plus the rules below), writes inside one
`transaction.atomic()`, and records an audit entry with who, old and new value. The rules:

- Only a draft strategy can be edited freely. On an adopted version the political text
  (`rules.POLITICAL_FIELDS`) is read-only until a coordinator re-opens it, while the
  follow-up fields (`rules.FOLLOW_UP_FIELDS`: owners, follow-up dates, status, progress)
  stay editable; an archived version never changes (`StrategyReadOnlyError`).
- Every adoption adds a `StrategyAdoption` event; adopting again keeps the first adoption
  date unless a new one is given.
- Status notes (opfølgning) may be posted while a strategy is a draft or adopted.
- Editable rows carry a `version`; a save whose expected version is stale is refused with
  `EditConflict`, which carries the other person's recorded change, so nothing is silently
  overwritten.
- Owners, departments and focus areas must belong to the strategy's own municipality.
"""

from apps.strategy.services.goals import (
    goal_create,
    goal_delete,
    goal_move,
    goal_status_override,
    goal_suggestion_confirm,
    goal_update,
)
from apps.strategy.services.initiatives import (
    initiative_create,
    initiative_update,
    status_update_create,
)
from apps.strategy.services.rules import (
    FOCUS_AREA_FIELDS,
    FOLLOW_UP_FIELDS,
    GOAL_FIELDS,
    INITIATIVE_FIELDS,
    POLITICAL_FIELDS,
    STRATEGY_FIELDS,
    EditConflict,
    StrategyReadOnlyError,
    ensure_editable,
    ensure_follow_up_allowed,
)
from apps.strategy.services.strategies import (
    focus_area_create,
    focus_area_update,
    strategy_adopt,
    strategy_archive,
    strategy_copy,
    strategy_create,
    strategy_reopen,
    strategy_update,
)

__all__ = [
    "FOCUS_AREA_FIELDS",
    "FOLLOW_UP_FIELDS",
    "GOAL_FIELDS",
    "INITIATIVE_FIELDS",
    "POLITICAL_FIELDS",
    "STRATEGY_FIELDS",
    "EditConflict",
    "StrategyReadOnlyError",
    "ensure_editable",
    "ensure_follow_up_allowed",
    "focus_area_create",
    "focus_area_update",
    "goal_create",
    "goal_delete",
    "goal_move",
    "goal_status_override",
    "goal_suggestion_confirm",
    "goal_update",
    "initiative_create",
    "initiative_update",
    "status_update_create",
    "strategy_adopt",
    "strategy_archive",
    "strategy_copy",
    "strategy_create",
    "strategy_reopen",
    "strategy_update",
]
