"""Supervisors (praktikvejledere) and the catalogue of supervisor qualifications."""

from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from apps.core.models import MunicipalityOwned, TimeStampedModel
from apps.core.scoping import PersonLevelQuerySet, TenantManager


class QualificationLevel(models.Model):
    """A supervisor qualification (ingen, introkursus, vejlederuddannelse, diplommodul, klinisk
    vejleder). `is_formal` marks the ones that count as "uddannet vejleder" in the KPIs."""

    code = models.SlugField(_("kode"), max_length=30, unique=True)
    name = models.CharField(_("navn"), max_length=100)
    is_formal = models.BooleanField(_("formel vejlederkvalifikation"), default=False)
    order = models.PositiveSmallIntegerField(_("rækkefølge"), default=0)
    aliases = models.JSONField(_("andre navne"), default=list, blank=True)

    class Meta:
        verbose_name = _("vejlederkvalifikation")
        verbose_name_plural = _("vejlederkvalifikationer")
        ordering = ["order"]

    def __str__(self) -> str:
        return self.name


class SupervisorQuerySet(PersonLevelQuerySet):
    def active(self):
        return self.filter(is_active=True)

    def qualified(self):
        return self.filter(qualification__is_formal=True)


class Supervisor(MunicipalityOwned, TimeStampedModel):
    """A praktikvejleder / oplæringsvejleder / klinisk vejleder, keyed by the HR system's id.

    `max_trainees`: how many trainees this supervisor may have at once in placement
    planning (at least 1); empty means the municipality's `PlanningSettings` default."""

    hr_id = models.CharField(_("medarbejder-id"), max_length=40)
    name = models.CharField(_("navn"), max_length=200)
    workplace = models.ForeignKey(
        "organisation.Workplace",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="supervisors",
        verbose_name=_("arbejdsplads"),
    )
    profession = models.CharField(_("faggruppe"), max_length=100, blank=True)
    qualification = models.ForeignKey(
        QualificationLevel,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        verbose_name=_("kvalifikation"),
    )
    qualified_on = models.DateField(_("kvalificeret dato"), null=True, blank=True)
    is_active = models.BooleanField(_("aktiv"), default=True)
    max_trainees = models.PositiveSmallIntegerField(
        _("højst elever ad gangen"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1, _("En vejleder skal kunne have mindst 1 elev."))],
        help_text=_("Tom: kommunens standard for placeringsplanlægning."),
    )
    version = models.PositiveIntegerField(_("version"), default=1)

    department_path = "workplace__department"
    objects = TenantManager.from_queryset(SupervisorQuerySet)()

    class Meta:
        verbose_name = _("praktikvejleder")
        verbose_name_plural = _("praktikvejledere")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "hr_id"], name="supervisor_unique_hr_id_per_municipality"
            )
        ]

    def __str__(self) -> str:
        return self.name
