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

    # Every role set that decides what a role may do lives here, and only here: view guards
    # (`scope_required(allow=...)`), the navigation, the API and templates all read these
    # properties, so a menu entry and the page behind it can't disagree.

    @property
    def is_leader(self) -> bool:
        """A leader: their own departments are highlighted and may be posted on."""
        return self.role == Role.LEADER

    @property
    def can_read_strategy(self) -> bool:
        """Strategy pages (read): everyone of the municipality but KKR analysts."""
        return self.role in {Role.COORDINATOR, Role.ADMIN, Role.LEADER, Role.HR}

    @property
    def can_edit_strategy(self) -> bool:
        return self.role in {Role.COORDINATOR, Role.ADMIN}

    @property
    def follows_initiatives(self) -> bool:
        """Works with the initiative list day to day (its menu entry): coordinators edit,
        leaders post status notes. HR may open it (`can_read_strategy`) but has no entry."""
        return self.role in {Role.COORDINATOR, Role.ADMIN, Role.LEADER}

    @property
    def can_import(self) -> bool:
        return self.role in {Role.HR, Role.ADMIN}

    @property
    def can_manage_quotas(self) -> bool:
        """Create, edit, delete and import quotas (dimensionering): coordinators and HR."""
        return self.role in {Role.COORDINATOR, Role.HR, Role.ADMIN}

    @property
    def can_plan_placements(self) -> bool:
        """Placement planning (apps.placements): capacity, supervisors' maximum, the plan and
        its conflicts, and confirming it: coordinators and HR."""
        return self.role in {Role.COORDINATOR, Role.HR, Role.ADMIN}

    @property
    def can_see_persons(self) -> bool:
        """Person-level trainee and supervisor data (KKR analysts see aggregates only)."""
        return self.role in {Role.COORDINATOR, Role.HR, Role.ADMIN, Role.LEADER}

    @property
    def can_see_departments(self) -> bool:
        """Figures and dashboards per department (all of them, or a leader's own); KKR
        analysts compare whole municipalities only. See `Department.objects.visible_to`."""
        return self.role in {Role.COORDINATOR, Role.HR, Role.ADMIN, Role.LEADER}

    @property
    def can_see_municipality_overview(self) -> bool:
        """The municipality overview (every department side by side): not leaders."""
        return self.role in {Role.COORDINATOR, Role.ADMIN, Role.HR}

    @property
    def can_compare_municipalities(self) -> bool:
        """The KKR comparison page across municipalities: KKR analysts and admins."""
        return self.role in {Role.KKR_ANALYST, Role.ADMIN}

    @property
    def reads_other_municipalities(self) -> bool:
        """May ask the API for another municipality's (rounded) aggregates: KKR analysts and
        the platform operator; a municipality's admin asks about their own only."""
        return self.role == Role.KKR_ANALYST or self.all_municipalities

    @property
    def can_see_health(self) -> bool:
        """Health-related dropout reasons per person: HR and coordinators (and admins) only."""
        return self.role in {Role.COORDINATOR, Role.HR, Role.ADMIN}

    @property
    def sees_small_numbers(self) -> bool:
        """Counts under 5 are shown only to the municipality's HR and coordinators."""
        return self.role in {Role.COORDINATOR, Role.HR, Role.ADMIN}

    @property
    def can_follow_absence_warnings(self) -> bool:
        """The municipality's list of absence warnings (trainees with high sick absence):
        HR and coordinators (and admins). Leaders see their departments' on their dashboard."""
        return self.role in {Role.COORDINATOR, Role.HR, Role.ADMIN}

    @property
    def can_set_absence_threshold(self) -> bool:
        """The municipality's absence-warning threshold: coordinators (and admins)."""
        return self.role in {Role.COORDINATOR, Role.ADMIN}

    @property
    def can_report_lookups(self) -> bool:
        """Produce the list of who looked up one person's data: coordinators and admins."""
        return self.role in {Role.COORDINATOR, Role.ADMIN}

    @property
    def can_export_person(self) -> bool:
        """Export all data about one person (indsigt, GDPR art. 15): admins only."""
        return self.role == Role.ADMIN

    @property
    def can_administer(self) -> bool:
        """The Django admin, limited to their municipality (staff users with this role)."""
        return self.role == Role.ADMIN

    @property
    def can_issue_survey_links(self) -> bool:
        """Print or list the placement survey's personal links (they name the trainees)."""
        return self.role in {Role.COORDINATOR, Role.HR, Role.ADMIN}

    @property
    def can_make_status_report(self) -> bool:
        """Download a strategy's annual status report: coordinators for the municipality,
        leaders for their own departments (apps.reports)."""
        return self.role in {Role.COORDINATOR, Role.ADMIN, Role.LEADER}

    @property
    def can_read_survey_comments(self) -> bool:
        """The survey's free-text answers (groups of at least 5 answers): coordinators."""
        return self.role in {Role.COORDINATOR, Role.ADMIN}

    @property
    def own_department_ids(self) -> frozenset[int]:
        """A leader's own departments (highlighted as "Dit fagområde"); empty for others."""
        if self.is_leader and self.department_ids is not None:
            return self.department_ids
        return frozenset()

    def owns_department(self, department_id: int | None) -> bool:
        """`department_id` is one of a leader's own departments."""
        return department_id is not None and department_id in self.own_department_ids


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
