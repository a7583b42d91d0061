"""KPI targets and their follow-up: indicators, measurements and pre-aggregated facts."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from apps.core.models import MunicipalityOwned, TimeStampedModel
from apps.core.scoping import Scope, TenantManager, TenantQuerySet
from apps.kpis.choices import (
    COHORT_METRICS,
    COUNT_METRICS,
    RATIO_METRICS,
    Direction,
    MeasurementSource,
    Metric,
    TargetKind,
    Unit,
)


class IndicatorQuerySet(TenantQuerySet):
    """Indicators, and which of them a scope may read (`visible_to`)."""

    def visible_to(self, scope: Scope) -> IndicatorQuerySet:
        """The indicators `scope` may read on dashboards and through the API.

        An indicator is an aggregate, so every role of the municipality sees the
        municipality-wide ones (no department); a department's indicators are seen by those
        who reach that department, which for a leader means their own departments only.
        Figures are disclosed per role afterwards (apps/kpis/disclosure.py). Unlike
        `in_scope`, whose department cut-off would hide municipality-wide indicators from
        leaders, this is the rule for reading; `in_scope` stays the coordinators' edit list.
        """
        qs = self
        if not scope.all_municipalities:
            qs = qs.filter(municipality_id=scope.municipality_id)
        if scope.department_ids is not None:
            qs = qs.filter(Q(department__isnull=True) | Q(department_id__in=scope.department_ids))
        return qs


class Indicator(MunicipalityOwned, TimeStampedModel):
    """A nøgletal / succeskriterium: a measurable goal with unit, direction, baseline and target.

    Either computed from trainee data (`metric` plus optional department, programme and
    cohort filters) or entered by hand (`metric` empty: survey answers, leaders recruited
    internally). Without `cohort_year` a cohort metric measures each year on the cohorts
    finished by then; with it, every measurement describes that one cohort (start year).
    """

    goals = models.ManyToManyField(
        "strategy.Goal",
        blank=True,
        related_name="indicators",
        verbose_name=_("målsætninger"),
    )
    focus_area = models.ForeignKey(
        "strategy.FocusArea",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="indicators",
        verbose_name=_("indsatsområde"),
    )
    name = models.CharField(_("navn"), max_length=200)
    unit = models.CharField(_("enhed"), max_length=10, choices=Unit.choices, default=Unit.PERCENT)
    direction = models.CharField(
        _("retning"), max_length=10, choices=Direction.choices, default=Direction.HIGHER
    )
    baseline_value = models.DecimalField(
        _("baseline"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    baseline_period = models.PositiveSmallIntegerField(_("baseline år"), null=True, blank=True)
    baseline_measured = models.BooleanField(
        _("baseline målt af portalen"),
        default=False,
        help_text=_(
            "Baseline er portalens egen måling for baseline-året, ikke et tal fra dokumentet."
        ),
    )
    target_value = models.DecimalField(
        _("mål"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    target_period = models.PositiveSmallIntegerField(_("mål år"), null=True, blank=True)
    target_kind = models.CharField(
        _("måltype"), max_length=10, choices=TargetKind.choices, default=TargetKind.ABSOLUTE
    )
    metric = models.CharField(
        _("beregnet nøgletal"),
        max_length=40,
        choices=Metric.choices,
        blank=True,
        help_text=_("Tom for et nøgletal, der indtastes manuelt."),
    )
    department = models.ForeignKey(
        "organisation.Department",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="indicators",
        verbose_name=_("fagområde"),
    )
    programme = models.ForeignKey(
        "trainees.Programme",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        verbose_name=_("uddannelse"),
    )
    cohort_year = models.PositiveSmallIntegerField(
        _("årgang"),
        null=True,
        blank=True,
        validators=[MinValueValidator(2000), MaxValueValidator(2100)],
        help_text=_(
            "Startår for årgangen, fx 2022 for SSH 2022. Kun for nøgletal om årgange. "
            "Tom: hvert år måles på de senest færdige årgange."
        ),
    )
    note = models.TextField(_("note"), blank=True)
    order = models.PositiveSmallIntegerField(_("rækkefølge"), default=0)
    version = models.PositiveIntegerField(_("version (intern)"), default=1)

    department_path = "department"
    objects = TenantManager.from_queryset(IndicatorQuerySet)()

    class Meta:
        verbose_name = _("nøgletal")
        verbose_name_plural = _("nøgletal")
        ordering = ["municipality", "order", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(target_kind="absolute")
                | Q(baseline_value__isnull=False)
                | Q(target_value__isnull=True),
                name="indicator_change_target_needs_baseline",
            ),
            models.CheckConstraint(
                condition=Q(baseline_measured=False)
                | (Q(baseline_value__isnull=False) & Q(baseline_period__isnull=False)),
                name="indicator_measured_baseline_has_value_and_period",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_computed(self) -> bool:
        return bool(self.metric)

    @property
    def cohort_label(self) -> str:
        """ "Årgang 2022" for an indicator filtered on one cohort, else empty."""
        if self.cohort_year is None:
            return ""
        return _("Årgang %(year)s") % {"year": self.cohort_year}

    def clean(self):
        super().clean()
        if self.metric in COUNT_METRICS and self.unit != Unit.COUNT:
            raise ValidationError({"unit": _("Et antal skal have enheden antal.")})
        if self.metric in RATIO_METRICS and self.unit != Unit.RATIO:
            raise ValidationError({"unit": _("Dette nøgletal er et forhold.")})
        if self.department_id and self.department.municipality_id != self.municipality_id:
            raise ValidationError({"department": _("Fagområdet hører til en anden kommune.")})
        if self.cohort_year is not None and self.metric not in COHORT_METRICS:
            raise ValidationError(
                {
                    "cohort_year": _(
                        "En årgang kan kun vælges for nøgletal om årgange: gennemførelse, "
                        "frafald, ansat efter endt uddannelse og ansat pr. startet elev."
                    )
                }
            )


class Measurement(MunicipalityOwned):
    """A måling: the value of one indicator for one period (a year), computed or entered.

    A coordinator's correction turns a computed measurement into a manual one, which later
    recomputations leave alone; the audit trail keeps the old value.
    """

    indicator = models.ForeignKey(
        Indicator,
        on_delete=models.CASCADE,
        related_name="measurements",
        verbose_name=_("nøgletal"),
    )
    period = models.PositiveSmallIntegerField(_("år"))
    value = models.DecimalField(_("værdi"), max_digits=12, decimal_places=2, null=True)
    numerator = models.DecimalField(
        _("tæller"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    denominator = models.DecimalField(
        _("nævner"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    source = models.CharField(
        _("kilde"),
        max_length=10,
        choices=MeasurementSource.choices,
        default=MeasurementSource.MANUAL,
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("registreret af"),
    )
    recorded_at = models.DateTimeField(_("registreret"), auto_now=True)
    note = models.TextField(_("note"), blank=True)
    version = models.PositiveIntegerField(_("version (intern)"), default=1)

    objects = TenantManager.from_queryset(TenantQuerySet)()

    class Meta:
        verbose_name = _("måling")
        verbose_name_plural = _("målinger")
        ordering = ["indicator", "period"]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "period"], name="measurement_unique_period"
            )
        ]

    def __str__(self) -> str:
        return f"{self.indicator} {self.period}"


class MetricFact(models.Model):
    """One pre-aggregated fact for the dashboards: a sum over trainees (or supervisors) of one
    department, programme and year, e.g. "SSA 2020 started = 45" or "sick days in March".

    Rebuilt per municipality by `apps.kpis.services.measurements_recompute`; the dashboards
    and the API sum these rows instead of scanning person-level tables.
    """

    municipality = models.ForeignKey(
        "organisation.Municipality", on_delete=models.CASCADE, related_name="+"
    )
    department = models.ForeignKey(
        "organisation.Department", on_delete=models.CASCADE, null=True, related_name="+"
    )
    programme = models.ForeignKey(
        "trainees.Programme", on_delete=models.CASCADE, null=True, related_name="+"
    )
    year = models.PositiveSmallIntegerField()
    kind = models.CharField(max_length=20)
    key = models.CharField(max_length=40, blank=True)
    numerator = models.DecimalField(max_digits=14, decimal_places=2, default=0)
    denominator = models.DecimalField(max_digits=14, decimal_places=2, default=0)

    municipality_path = "municipality"
    department_path = "department"
    objects = TenantManager.from_queryset(TenantQuerySet)()

    class Meta:
        verbose_name = _("forberegnet tal")
        verbose_name_plural = _("forberegnede tal")
        indexes = [models.Index(fields=["municipality", "department", "kind"])]

    def __str__(self) -> str:
        return f"{self.kind}/{self.key} {self.year}"
