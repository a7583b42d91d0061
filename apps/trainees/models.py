"""Trainees (elever og studerende), their placements and absence, and the catalogues they use.

No CPR numbers are stored anywhere: a trainee is identified by the HR system's id, and
the birth year is reduced to an age band at start.
"""

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from apps.core.models import MunicipalityOwned, TimeStampedModel
from apps.core.scoping import TenantManager
from apps.trainees.choices import (
    AgeBand,
    PhaseKind,
    PlacementKind,
    Recruitment,
    TraineeStatus,
)
from apps.trainees.querysets import (
    AbsenceQuerySet,
    IntakeQuotaQuerySet,
    PlacementQuerySet,
    TraineeQuerySet,
)
from apps.trainees.rules import trainee_rule_errors


class Programme(models.Model):
    """An uddannelse / faggruppe (SSH, SSA, PAU, pædagog, …) with the names HR files use."""

    code = models.CharField(_("kode"), max_length=12, unique=True)
    name = models.CharField(_("navn"), max_length=100)
    aliases = models.JSONField(_("andre navne"), default=list, blank=True)
    order = models.PositiveSmallIntegerField(_("rækkefølge"), default=0)

    class Meta:
        verbose_name = _("uddannelse")
        verbose_name_plural = _("uddannelser")
        ordering = ["order", "code"]

    def __str__(self) -> str:
        return self.name


class ProgrammePlacementStep(models.Model):
    """One step of a programme's placement sequence ("Oplæringsperiode 3" of SSA): which
    kind of period (training or school) and its number, as `Placement.kind` and
    `Placement.period_number` record it. A programme's training steps say how many
    training periods a trainee of it has: placement planning treats a trainee as needing a
    placement while fewer training periods are on record than the programme has training
    steps (`apps.placements.planning`). A programme without steps keeps the general rule
    (at most six training periods). Seeded in migration trainees 0004 (sources there)."""

    programme = models.ForeignKey(
        Programme,
        on_delete=models.CASCADE,
        related_name="placement_steps",
        verbose_name=_("uddannelse"),
    )
    kind = models.CharField(_("type"), max_length=10, choices=PlacementKind.choices)
    number = models.PositiveSmallIntegerField(
        _("nummer"),
        validators=[
            MinValueValidator(1, _("Nummeret skal være mellem 1 og 6.")),
            MaxValueValidator(6, _("Nummeret skal være mellem 1 og 6.")),
        ],
        help_text=_("Periodens nummer, som praktikperioderne registreres med (1–6)."),
    )
    name = models.CharField(_("navn"), max_length=60)
    typical_weeks = models.PositiveSmallIntegerField(
        _("typisk længde i uger"), null=True, blank=True
    )

    class Meta:
        verbose_name = _("praktikforløbstrin")
        verbose_name_plural = _("praktikforløb")
        ordering = ["programme", "kind", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "kind", "number"],
                name="placement_step_unique_number",
                violation_error_message=_(
                    "Uddannelsen har allerede et trin af denne type med dette nummer."
                ),
            ),
            models.CheckConstraint(
                condition=Q(number__gte=1) & Q(number__lte=6), name="placement_step_number_1_to_6"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.programme.code}: {self.name}"


class DropoutReason(models.Model):
    """A reason for dropping out (årsag til frafald). `is_health_related` marks special-category
    personal data, shown per person only to roles allowed to see health data."""

    code = models.SlugField(_("kode"), max_length=40, unique=True)
    name = models.CharField(_("navn"), max_length=100)
    is_health_related = models.BooleanField(_("helbredsoplysning"), default=False)
    order = models.PositiveSmallIntegerField(_("rækkefølge"), default=0)
    aliases = models.JSONField(_("andre navne"), default=list, blank=True)

    class Meta:
        verbose_name = _("frafaldsårsag")
        verbose_name_plural = _("frafaldsårsager")
        ordering = ["order"]

    def __str__(self) -> str:
        return self.name


class Phase(models.Model):
    """When in the education a trainee dropped out: grundforløb, oplærings- or skoleperiode 1–6."""

    code = models.SlugField(_("kode"), max_length=20, unique=True)
    name = models.CharField(_("navn"), max_length=60)
    kind = models.CharField(_("type"), max_length=10, choices=PhaseKind.choices)
    number = models.PositiveSmallIntegerField(_("nummer"), null=True, blank=True)
    order = models.PositiveSmallIntegerField(_("rækkefølge"), default=0)
    aliases = models.JSONField(_("andre navne"), default=list, blank=True)

    class Meta:
        verbose_name = _("fase")
        verbose_name_plural = _("faser")
        ordering = ["order"]

    def __str__(self) -> str:
        return self.name


class IntakeQuota(MunicipalityOwned):
    """Dimensionering: the trainees a municipality (or one of its departments) takes in one
    programme in one year, as a minimum (56 SSA a year, Frederikssund) or a range
    (minimum–maximum: "6-14" PAU, Hillerød). A row without a department is the
    municipality's own quota; department rows say how it is split (or stand alone)."""

    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, verbose_name=_("uddannelse"))
    year = models.PositiveSmallIntegerField(_("år"))
    department = models.ForeignKey(
        "organisation.Department",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="intake_quotas",
        verbose_name=_("fagområde"),
        help_text=_("Tom: dimensioneringen for hele kommunen."),
    )
    minimum = models.PositiveIntegerField(_("minimum"))
    maximum = models.PositiveIntegerField(
        _("maksimum"),
        null=True,
        blank=True,
        help_text=_("Kun ved et interval (fx 30–35); tom, når dimensioneringen er et minimum."),
    )
    note = models.CharField(_("note"), max_length=255, blank=True)
    version = models.PositiveIntegerField(_("version (intern)"), default=1)

    objects = TenantManager.from_queryset(IntakeQuotaQuerySet)()

    class Meta:
        verbose_name = _("dimensionering")
        verbose_name_plural = _("dimensioneringer")
        ordering = ["year", "programme", "department"]
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "programme", "year", "department"],
                name="quota_unique_per_year_department",
                nulls_distinct=False,
                violation_error_message=_(
                    "Der er allerede en dimensionering for denne uddannelse, dette år og "
                    "dette fagområde."
                ),
            ),
            models.CheckConstraint(
                condition=Q(maximum__isnull=True) | Q(maximum__gte=F("minimum")),
                name="quota_range_ordered",
                violation_error_message=_("Maksimum må ikke være mindre end minimum."),
            ),
        ]

    def __str__(self) -> str:
        where = f" {self.department}" if self.department_id else ""
        return f"{self.programme.code} {self.year}{where}"

    @property
    def is_range(self) -> bool:
        return self.maximum is not None and self.maximum != self.minimum

    @property
    def range_text(self) -> str:
        """ "30–35" for a range, "56" for a minimum."""
        if self.is_range:
            return f"{self.minimum}–{self.maximum}"
        return str(self.minimum)

    def clean(self):
        super().clean()
        errors = {}
        if self.maximum is not None and self.minimum is not None and self.maximum < self.minimum:
            errors["maximum"] = _("Maksimum må ikke være mindre end minimum.")
        if (
            self.department_id
            and self.municipality_id
            and self.department.municipality_id != self.municipality_id
        ):
            errors["department"] = _("Fagområdet hører ikke til kommunen.")
        if errors:
            raise ValidationError(errors)


class Trainee(MunicipalityOwned, TimeStampedModel):
    """One education course of one person (elev, studerende), keyed by the HR system's id.
    `clean()` enforces the rules across its fields (`apps.trainees.rules`): dates in order,
    a reason when dropped out, departments and workplace of the trainee's municipality."""

    # The unique (municipality, hr_id) and both cohort indexes lead with the municipality, so
    # its foreign key needs no index of its own: one index less to write per imported row.
    # Municipality and department are checked by the database together, as one foreign key
    # (department, municipality) → the department's (id, municipality), which also keeps a
    # trainee in a department of its own municipality (migration 0006, PostgreSQL): one
    # check per written row instead of two.
    municipality = models.ForeignKey(
        "organisation.Municipality",
        on_delete=models.PROTECT,
        db_index=False,
        db_constraint=False,
        verbose_name=_("kommune"),
    )
    hr_id = models.CharField(_("elev-id"), max_length=40)
    first_name = models.CharField(_("fornavn"), max_length=100, blank=True)
    last_name = models.CharField(_("efternavn"), max_length=100, blank=True)
    programme = models.ForeignKey(
        Programme, on_delete=models.PROTECT, related_name="trainees", verbose_name=_("uddannelse")
    )
    department = models.ForeignKey(
        "organisation.Department",
        on_delete=models.PROTECT,
        db_constraint=False,  # checked with the municipality, see above
        related_name="trainees",
        verbose_name=_("fagområde"),
    )
    start_date = models.DateField(_("startdato"))
    start_year = models.PositiveSmallIntegerField(_("startår"), editable=False)
    expected_end_date = models.DateField(_("forventet slutdato"), null=True, blank=True)
    end_date = models.DateField(_("slutdato"), null=True, blank=True)
    end_year = models.PositiveSmallIntegerField(_("slutår"), null=True, blank=True, editable=False)
    status = models.CharField(_("status"), max_length=20, choices=TraineeStatus.choices)
    dropout_reason = models.ForeignKey(
        DropoutReason,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        db_index=False,  # a partial index, see Meta
        verbose_name=_("frafaldsårsag"),
    )
    dropout_note = models.CharField(_("note om frafald"), max_length=255, blank=True)
    dropout_phase = models.ForeignKey(
        Phase,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        db_index=False,  # a partial index, see Meta
        verbose_name=_("frafaldsfase"),
    )
    age_band = models.CharField(
        _("alder ved start"), max_length=6, choices=AgeBand.choices, blank=True
    )
    recruitment = models.CharField(
        _("rekruttering"), max_length=20, choices=Recruitment.choices, blank=True
    )
    hired_after = models.BooleanField(_("ansat efter uddannelse"), null=True, blank=True)
    hired_into_department = models.ForeignKey(
        "organisation.Department",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        db_index=False,  # a partial index, see Meta
        related_name="hired_trainees",
        verbose_name=_("ansat i fagområde"),
    )
    hired_into_workplace = models.ForeignKey(
        "organisation.Workplace",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        db_index=False,  # a partial index, see Meta
        related_name="hired_trainees",
        verbose_name=_("ansat på arbejdsplads"),
    )
    hired_as_ssa_student = models.BooleanField(_("ansat som SSA-elev"), default=False)
    personal_guide = models.CharField(_("personlig vejleder"), max_length=150, blank=True)
    version = models.PositiveIntegerField(_("version"), default=1)
    anonymised_at = models.DateTimeField(_("anonymiseret"), null=True, blank=True)

    department_path = "department"
    objects = TenantManager.from_queryset(TraineeQuerySet)()

    class Meta:
        verbose_name = _("elev")
        verbose_name_plural = _("elever")
        ordering = ["last_name", "first_name", "hr_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "hr_id"], name="trainee_unique_hr_id_per_municipality"
            ),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=F("start_date")),
                name="trainee_end_after_start",
            ),
            models.CheckConstraint(
                condition=~Q(status=TraineeStatus.DROPPED_OUT) | Q(dropout_reason__isnull=False),
                name="trainee_dropout_has_reason",
            ),
        ]
        indexes = [
            models.Index(fields=["municipality", "programme", "start_year"]),
            models.Index(fields=["municipality", "department", "start_year"]),
            # Most trainees have no dropout reason or phase and were not hired (yet), and
            # these are only looked up by a value (deleting a catalogue entry, a department
            # or a workplace): an empty field is left out of its index.
            *(
                models.Index(fields=[field], condition=Q(**{f"{field}__isnull": False}), name=name)
                for field, name in (
                    ("dropout_reason", "trainee_dropout_reason_idx"),
                    ("dropout_phase", "trainee_dropout_phase_idx"),
                    ("hired_into_department", "trainee_hired_department_idx"),
                    ("hired_into_workplace", "trainee_hired_workplace_idx"),
                )
            ),
        ]

    def __str__(self) -> str:
        return self.full_name or self.hr_id

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    def clean(self):
        super().clean()
        values = {
            "start_date": self.start_date,
            "expected_end_date": self.expected_end_date,
            "end_date": self.end_date,
            "status": self.status,
            "dropout_reason_id": self.dropout_reason_id,
        }
        for name in ("department", "hired_into_department", "hired_into_workplace"):
            if getattr(self, f"{name}_id") is not None:
                values[name] = getattr(self, name)
        errors = trainee_rule_errors(values, municipality_id=self.municipality_id)
        if errors:
            raise ValidationError(errors)

    def save(self, *args, **kwargs):
        self.start_year = self.start_date.year
        self.end_year = self.end_date.year if self.end_date else None
        super().save(*args, **kwargs)


class Placement(MunicipalityOwned):
    """A praktik-/oplæringsperiode or skoleperiode: a trainee at a workplace with a supervisor."""

    trainee = models.ForeignKey(
        Trainee, on_delete=models.CASCADE, related_name="placements", verbose_name=_("elev")
    )
    period_number = models.PositiveSmallIntegerField(_("periode"))
    kind = models.CharField(_("type"), max_length=10, choices=PlacementKind.choices)
    workplace = models.ForeignKey(
        "organisation.Workplace",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="placements",
        verbose_name=_("arbejdsplads"),
    )
    supervisor = models.ForeignKey(
        "supervisors.Supervisor",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="placements",
        verbose_name=_("vejleder"),
    )
    start_date = models.DateField(_("fra"))
    end_date = models.DateField(_("til"))

    department_path = "trainee__department"
    objects = TenantManager.from_queryset(PlacementQuerySet)()

    class Meta:
        verbose_name = _("praktikperiode")
        verbose_name_plural = _("praktikperioder")
        ordering = ["trainee", "start_date"]
        constraints = [
            models.UniqueConstraint(
                fields=["trainee", "kind", "period_number"], name="placement_unique_period"
            ),
            models.CheckConstraint(
                condition=Q(end_date__gte=F("start_date")), name="placement_end_after_start"
            ),
            models.CheckConstraint(
                condition=Q(period_number__gte=1) & Q(period_number__lte=6),
                name="placement_period_1_to_6",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.trainee} – {self.get_kind_display()} {self.period_number}"


class Absence(MunicipalityOwned):
    """One trainee's sick days and planned working days in one month (first day of month)."""

    trainee = models.ForeignKey(
        Trainee, on_delete=models.CASCADE, related_name="absences", verbose_name=_("elev")
    )
    month = models.DateField(_("måned"))
    year = models.PositiveSmallIntegerField(_("år"), editable=False, db_index=True)
    sick_days = models.DecimalField(_("sygedage"), max_digits=5, decimal_places=2)
    planned_days = models.DecimalField(_("planlagte dage"), max_digits=5, decimal_places=2)

    department_path = "trainee__department"
    objects = TenantManager.from_queryset(AbsenceQuerySet)()

    class Meta:
        verbose_name = _("fravær")
        verbose_name_plural = _("fravær")
        ordering = ["trainee", "month"]
        constraints = [
            models.UniqueConstraint(fields=["trainee", "month"], name="absence_unique_month"),
            models.CheckConstraint(
                condition=Q(sick_days__gte=0) & Q(planned_days__gte=0),
                name="absence_days_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(sick_days__lte=F("planned_days")), name="absence_sick_within_planned"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.trainee} {self.month:%Y-%m}"

    @property
    def sick_percent(self) -> float | None:
        """This month's sick days in percent of planned days (None without planned days)."""
        if not self.planned_days:
            return None
        return float(100 * self.sick_days / self.planned_days)

    def save(self, *args, **kwargs):
        self.month = self.month.replace(day=1)
        self.year = self.month.year
        super().save(*args, **kwargs)
