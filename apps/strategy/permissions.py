"""Who may read and write strategy pages (DOMAIN.md "Who uses it").

Coordinators (and admins) edit; leaders and HR read; KKR analysts see no municipality's
strategy pages (403). Leaders may post status notes on their own department's items.
"""

from functools import wraps

from django.core.exceptions import PermissionDenied

from apps.accounts.decorators import scope_required
from apps.core.roles import Role
from apps.core.scoping import Scope

READ_ROLES = frozenset({Role.COORDINATOR, Role.ADMIN, Role.LEADER, Role.HR})


def can_read_strategy(scope: Scope | None) -> bool:
    return scope is not None and scope.role in READ_ROLES


def strategy_reader_required(view_func):
    """Login (else redirect) and a role that may read strategies (else 403)."""

    @scope_required
    @wraps(view_func)
    def wrapper(request, *args, **kwargs):
        if not can_read_strategy(request.scope):
            raise PermissionDenied
        return view_func(request, *args, **kwargs)

    return wrapper


def can_post_status(scope: Scope, *, department_id: int | None) -> bool:
    """Coordinators on any item; leaders only on items their own department owns."""
    if scope.can_edit_strategy:
        return True
    return bool(
        scope.is_leader and department_id is not None and scope.sees_department(department_id)
    )
