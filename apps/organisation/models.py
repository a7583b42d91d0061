"""The municipality, its departments and its workplaces: the tenant and its structure."""

from __future__ import annotations

from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

from apps.core.scoping import Scope, TenantManager, TenantQuerySet
from apps.organisation.choices import WorkplaceKind


class Municipality(models.Model):
    """A kommune: the tenant. Every person-level row belongs to exactly one municipality."""

    code = models.PositiveSmallIntegerField(_("kommunenummer"), unique=True)
    name = models.CharField(_("navn"), max_length=100, unique=True)
    retention_enabled = models.BooleanField(
        _("automatisk anonymisering slået til"),
        default=False,
        help_text=_("Slås først til, når arkivreglerne er afklaret."),
    )
    retention_years = models.PositiveSmallIntegerField(
        _("anonymisér år efter endt uddannelse"), default=5
    )

    class Meta:
        verbose_name = _("kommune")
        verbose_name_plural = _("kommuner")
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name} Kommune"


class DepartmentQuerySet(TenantQuerySet):
    """Departments, and the two answers to "which departments may this scope see?".

    - `of_municipality(scope)`: every department of the scope's municipality (all of them for
      the platform operator). What the strategy pages list and filter by: a leader reads the
      whole municipality's strategy, with their own departments highlighted, and KKR
      analysts never get that far (their guard says 403).
    - `visible_to(scope)`: the departments whose dashboards, figures and people the scope may
      see: a leader only their own, KKR analysts none (they compare whole municipalities),
      everyone else the whole municipality. What dashboards, the person lists' filters and
      forms, and the API's department parameter use.

    `in_scope(scope)` is `of_municipality(scope)`: a department is not itself department-scoped.
    """

    def of_municipality(self, scope: Scope) -> DepartmentQuerySet:
        if scope.all_municipalities:
            return self.all()
        return self.filter(municipality_id=scope.municipality_id)

    def visible_to(self, scope: Scope) -> DepartmentQuerySet:
        if not scope.can_see_departments:
            return self.none()
        qs = self.of_municipality(scope)
        if scope.department_ids is not None:
            qs = qs.filter(pk__in=scope.department_ids)
        return qs

    def by_name(self, name: str):
        return self.filter(name__iexact=name.strip())


class Department(models.Model):
    """A fagområde, center or forvaltning of a municipality (e.g. Ældre og Sundhed, BUF)."""

    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.PROTECT,
        related_name="departments",
        verbose_name=_("kommune"),
    )
    name = models.CharField(_("navn"), max_length=150)
    short_name = models.CharField(_("kort navn"), max_length=30, blank=True)
    order = models.PositiveSmallIntegerField(_("rækkefølge"), default=0)
    aliases = models.JSONField(
        _("andre navne"),
        default=list,
        blank=True,
        help_text=_("Navne, afdelingen også har i HR's regneark."),
    )

    municipality_path = "municipality"
    objects = TenantManager.from_queryset(DepartmentQuerySet)()

    class Meta:
        verbose_name = _("fagområde")
        verbose_name_plural = _("fagområder")
        ordering = ["municipality", "order", "name"]
        constraints = [
            models.UniqueConstraint(
                "municipality", Lower("name"), name="department_unique_name_per_municipality"
            ),
            # What a row's (department, municipality) pair refers to, so the database itself
            # keeps a trainee in a department of its own municipality.
            models.UniqueConstraint(
                fields=["id", "municipality"], name="department_unique_id_municipality"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def label(self) -> str:
        return self.short_name or self.name


class Workplace(models.Model):
    """An arbejdsplads / praktiksted / oplæringssted of a department."""

    department = models.ForeignKey(
        Department,
        on_delete=models.PROTECT,
        related_name="workplaces",
        verbose_name=_("fagområde"),
    )
    name = models.CharField(_("navn"), max_length=150)
    kind = models.CharField(
        _("type"), max_length=20, choices=WorkplaceKind.choices, default=WorkplaceKind.OTHER
    )

    municipality_path = "department__municipality"
    department_path = "department"
    objects = TenantManager.from_queryset(TenantQuerySet)()

    class Meta:
        verbose_name = _("arbejdsplads")
        verbose_name_plural = _("arbejdspladser")
        ordering = ["department", "name"]
        constraints = [
            models.UniqueConstraint(
                "department", Lower("name"), name="workplace_unique_name_per_department"
            )
        ]

    def __str__(self) -> str:
        return self.name
