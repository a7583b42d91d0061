"""Strategy pages: the grid with in-place goal editing (htmx), goals, initiatives, follow-up.

Views resolve the scope, parse input with a form, call one service or selector and render.
Every lookup starts from `in_scope(request.scope)` (404 outside it); writes need
`can_edit_strategy` (403 otherwise), except status notes, which leaders may post on their
own department's items (`permissions.can_post_status`).
"""

from apps.strategy.views.goals import (
    goal_create,
    goal_delete,
    goal_detail,
    goal_item,
    goal_move,
    goal_remind,
    goal_status,
    goal_status_override,
    goal_suggestion_confirm,
    goal_update,
)
from apps.strategy.views.initiatives import (
    goal_export,
    initiative_create,
    initiative_detail,
    initiative_export,
    initiative_list,
    initiative_remind,
    initiative_status,
    initiative_update,
)
from apps.strategy.views.strategies import (
    focus_area_create,
    focus_area_detail,
    focus_area_update,
    followup,
    strategy_adopt,
    strategy_archive,
    strategy_copy,
    strategy_create,
    strategy_detail,
    strategy_list,
    strategy_reopen,
    strategy_update,
)

__all__ = [
    "focus_area_create",
    "focus_area_detail",
    "focus_area_update",
    "followup",
    "goal_create",
    "goal_delete",
    "goal_export",
    "goal_detail",
    "goal_item",
    "goal_move",
    "goal_remind",
    "goal_status",
    "goal_status_override",
    "goal_suggestion_confirm",
    "goal_update",
    "initiative_create",
    "initiative_detail",
    "initiative_export",
    "initiative_list",
    "initiative_remind",
    "initiative_status",
    "initiative_update",
    "strategy_adopt",
    "strategy_archive",
    "strategy_copy",
    "strategy_create",
    "strategy_detail",
    "strategy_list",
    "strategy_reopen",
    "strategy_update",
]
