"""The municipality, its departments and its workplaces: the tenant and its structure."""

from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

from apps.core.scoping import TenantManager, TenantQuerySet
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
            )
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
