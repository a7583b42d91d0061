"""Who is asking, and the fail-closed tenancy guard every tenant-owned model uses.

`Scope` is built once per request (apps.accounts.middleware) from the user's role,
municipality and departments. Views and selectors start every query from
`Model.objects.in_scope(scope)`.

Underneath that, `TenantManager` fails closed: while a request is being handled, a
tenant-owned model can only return rows of the requesting user's municipality, and a
query made where no municipality is known (an anonymous request) raises `ScopeError`
instead of returning anybody's rows. Code outside requests (commands, tasks, migrations,
tests) is unrestricted unless it activates a tenancy itself.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from contextvars import ContextVar
from dataclasses import dataclass

from django.db import models

from apps.core.roles import Role


class ScopeError(Exception):
    """A tenant-owned model was queried in request code with no municipality in scope."""


@dataclass(frozen=True)
class Scope:
    """The requesting user's reach: role, municipality and (for leaders) departments."""

    user_id: int | None
    role: str
    municipality_id: int | None
    department_ids: frozenset[int] | None = None  # None: every department of the municipality
    all_municipalities: bool = False  # platform superusers only

    @property
    def is_leader(self) -> bool:
        return self.role == Role.LEADER

    @property
    def can_edit_strategy(self) -> bool:
        return self.role in {Role.COORDINATOR, Role.ADMIN}

    @property
    def can_import(self) -> bool:
        return self.role in {Role.HR, Role.ADMIN}

    @property
    def can_see_persons(self) -> bool:
        """Person-level trainee and supervisor data (KKR analysts see aggregates only)."""
        return self.role in {Role.COORDINATOR, Role.HR, Role.ADMIN, Role.LEADER}

    @property
    def can_see_health(self) -> bool:
        """Health-related dropout reasons per person: HR and coordinators (and admins) only."""
        return self.role in {Role.COORDINATOR, Role.HR, Role.ADMIN}

    @property
    def sees_small_numbers(self) -> bool:
        """Counts under 5 are shown only to the municipality's HR and coordinators."""
        return self.role in {Role.COORDINATOR, Role.HR, Role.ADMIN}

    @property
    def can_report_lookups(self) -> bool:
        """Produce the list of who looked up one person's data: coordinators and admins."""
        return self.role in {Role.COORDINATOR, Role.ADMIN}

    @property
    def can_export_person(self) -> bool:
        """Export all data about one person (indsigt, GDPR art. 15): admins only."""
        return self.role == Role.ADMIN

    def sees_department(self, department_id: int | None) -> bool:
        return self.department_ids is None or department_id in self.department_ids


@dataclass(frozen=True)
class _Tenancy:
    municipality_ids: frozenset[int] | None  # None: all municipalities
    deny: bool = False


_tenancy: ContextVar[_Tenancy | None] = ContextVar("tenancy", default=None)
_DENY = _Tenancy(municipality_ids=frozenset(), deny=True)


@contextlib.contextmanager
def tenancy_for(scope: Scope | None) -> Iterator[None]:
    """Restrict tenant-owned models to `scope`'s municipality (deny all when None)."""
    if scope is None:
        state = _DENY
    elif scope.all_municipalities:
        state = _Tenancy(municipality_ids=None)
    else:
        state = _Tenancy(municipality_ids=frozenset({scope.municipality_id}))
    token = _tenancy.set(state)
    try:
        yield
    finally:
        _tenancy.reset(token)


@contextlib.contextmanager
def all_municipalities() -> Iterator[None]:
    """Lift the tenancy guard for cross-municipality aggregates (the KKR comparison).

    Only aggregate selectors may use this; they never return person-level rows.
    """
    token = _tenancy.set(_Tenancy(municipality_ids=None))
    try:
        yield
    finally:
        _tenancy.reset(token)


class TenantQuerySet(models.QuerySet):
    """Queryset of a tenant-owned model: `in_scope(scope)` applies municipality and department."""

    def in_scope(self, scope: Scope) -> TenantQuerySet:
        qs = self
        if not scope.all_municipalities:
            qs = qs.filter(**{f"{self.model.municipality_path}_id": scope.municipality_id})
        department_path = getattr(self.model, "department_path", None)
        if scope.department_ids is not None and department_path:
            qs = qs.filter(**{f"{department_path}_id__in": scope.department_ids})
        return qs


class TenantManager(models.Manager):
    """Default manager of tenant-owned models; fails closed inside requests (see module doc)."""

    def get_queryset(self) -> models.QuerySet:
        qs = super().get_queryset()
        state = _tenancy.get()
        if state is None or state.municipality_ids is None:
            return qs
        if state.deny:
            raise ScopeError(
                f"{self.model.__name__} was queried in request code with no municipality in scope"
            )
        return qs.filter(**{f"{self.model.municipality_path}_id__in": state.municipality_ids})


class PersonLevelQuerySet(TenantQuerySet):
    """Rows about a person: roles that see aggregates only (KKR analysts) get none."""

    def in_scope(self, scope: Scope) -> TenantQuerySet:
        if not scope.can_see_persons:
            return self.none()
        return super().in_scope(scope)
