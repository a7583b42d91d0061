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
