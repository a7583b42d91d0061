"""Build the request's `Scope` from the logged-in user."""

from apps.core.roles import Role
from apps.core.scoping import Scope


def scope_for_user(user) -> Scope | None:
    """The user's scope, or None when the user has no role in any municipality.

    A leader's departments are loaded once here; a leader without departments sees no
    department's data.
    """
    if not user.is_authenticated:
        return None
    if user.is_superuser and not user.municipality_id:
        return Scope(
            user_id=user.pk, role=Role.ADMIN, municipality_id=None, all_municipalities=True
        )
    if not user.role or not user.municipality_id:
        return None
    department_ids = None
    if user.role == Role.LEADER:
        department_ids = frozenset(user.departments.values_list("id", flat=True))
    return Scope(
        user_id=user.pk,
        role=user.role,
        municipality_id=user.municipality_id,
        department_ids=department_ids,
    )
