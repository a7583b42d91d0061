"""Who may read and write strategy pages (DOMAIN.md "Who uses it").

Coordinators (and admins) edit; leaders and HR read; KKR analysts see no municipality's
strategy pages (403). Leaders may post status notes on their own department's items. The role
sets are `Scope` capabilities (apps/core/scoping.py).
"""

from apps.accounts.decorators import scope_required
from apps.core.scoping import Scope

# Login (else redirect) and a role that may read strategies (else 403).
strategy_reader_required = scope_required(allow="can_read_strategy")


def can_post_status(scope: Scope, *, department_id: int | None) -> bool:
    """Coordinators on any item; leaders only on items their own department owns."""
    return scope.can_edit_strategy or scope.owns_department(department_id)


def can_decide_goal_status(scope: Scope, *, goal) -> bool:
    """Who answers the portal's suggested status for a goal (confirm it, or choose another
    status with a reason): the goal's owner, coordinators, and a leader on a goal their own
    department owns. The views check it (403 otherwise) and the goal page shows the buttons
    only where it holds."""
    if not scope.can_read_strategy:
        return False
    is_owner = scope.user_id is not None and scope.user_id == goal.owner_id
    return is_owner or can_post_status(scope, department_id=goal.department_id)
