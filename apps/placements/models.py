"""Placement planning: how many trainees of which programme a workplace can take in a period
(`WorkplaceCapacity`), the municipality's planning settings (`PlanningSettings`: how
many trainees one supervisor may have at once), trainees added by hand to those needing a
placement (`ManualNeed`), trainees' ranked workplace wishes (`PlacementWish`) and the stored
plan drafts HR adjusts before confirming (`PlacementDraft`, `DraftAssignment`)."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from apps.core.models import MunicipalityOwned, TimeStampedModel
from apps.core.scoping import TenantManager, TenantQuerySet

DEFAULT_SUPERVISOR_MAX_TRAINEES = 2


class WorkplaceCapacityQuerySet(TenantQuerySet):
    def overlapping(self, start, end):
        """Rows whose dates overlap the period [start, end] (both days included)."""
        return self.filter(start_date__lte=end, end_date__gte=start)


class WorkplaceCapacity(MunicipalityOwned, TimeStampedModel):
    """Places for trainees of one programme at one workplace in one period, e.g.
    "Døgnplejen Nord, 01.02.2027 – 30.06.2027: 3 SSA". `version` counts every change, from
    the pages and from imports alike, so a page open on an older version cannot overwrite."""

    workplace = models.ForeignKey(
        "organisation.Workplace",
        on_delete=models.CASCADE,
        related_name="capacities",
        verbose_name=_("arbejdsplads"),
    )
    programme = models.ForeignKey(
        "trainees.Programme", on_delete=models.PROTECT, verbose_name=_("uddannelse")
    )
    start_date = models.DateField(_("fra"))
    end_date = models.DateField(_("til"))
    places = models.PositiveSmallIntegerField(
        _("pladser"), validators=[MinValueValidator(1, _("Der skal være mindst 1 plads."))]
    )
    version = models.PositiveIntegerField(_("version"), default=1)

    department_path = "workplace__department"
    objects = TenantManager.from_queryset(WorkplaceCapacityQuerySet)()

    class Meta:
        verbose_name = _("kapacitet")
        verbose_name_plural = _("kapaciteter")
        ordering = ["start_date", "workplace", "programme"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gte=F("start_date")),
                name="capacity_end_after_start",
                violation_error_message=_("Til-datoen må ikke ligge før fra-datoen."),
            ),
            models.CheckConstraint(condition=Q(places__gte=1), name="capacity_places_positive"),
            models.UniqueConstraint(
                fields=["workplace", "programme", "start_date", "end_date"],
                name="capacity_unique_per_period",
                violation_error_message=_(
                    "Arbejdspladsen har allerede en kapacitet for denne uddannelse i perioden."
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.workplace} {self.programme.code} {self.start_date}–{self.end_date}"

    def clean(self):
        super().clean()
        if (
            self.workplace_id
            and self.municipality_id
            and self.workplace.department.municipality_id != self.municipality_id
        ):
            raise ValidationError({"workplace": _("Arbejdspladsen hører ikke til kommunen.")})


class PlanningSettings(MunicipalityOwned):
    """One municipality's placement-planning settings."""

    supervisor_max_trainees = models.PositiveSmallIntegerField(
        _("elever pr. vejleder ad gangen"),
        default=DEFAULT_SUPERVISOR_MAX_TRAINEES,
        validators=[MinValueValidator(1, _("En vejleder skal kunne have mindst 1 elev."))],
        help_text=_("Det største antal elever, en vejleder må have på samme tid."),
    )
    version = models.PositiveIntegerField(_("version"), default=1)

    objects = TenantManager.from_queryset(TenantQuerySet)()

    class Meta:
        verbose_name = _("planlægningsindstillinger")
        verbose_name_plural = _("planlægningsindstillinger")
        constraints = [
            models.UniqueConstraint(fields=["municipality"], name="planning_settings_one_per_mun"),
            models.CheckConstraint(
                condition=Q(supervisor_max_trainees__gte=1), name="planning_max_trainees_positive"
            ),
        ]

    def __str__(self) -> str:
        return str(_("Planlægningsindstillinger"))

    @classmethod
    def max_trainees_for(cls, municipality_id: int) -> int:
        row = cls.objects.filter(municipality_id=municipality_id).first()
        return row.supervisor_max_trainees if row else DEFAULT_SUPERVISOR_MAX_TRAINEES


class ManualNeedQuerySet(TenantQuerySet):
    def overlapping(self, start, end):
        """Needs whose dates overlap the period [start, end] (both days included)."""
        return self.filter(start_date__lte=end, end_date__gte=start)


class ManualNeed(MunicipalityOwned):
    """A trainee added by hand to those needing a placement in a period, with a note saying
    why (e.g. a period to be taken again after sick leave). Placement planning counts the
    trainee as needing in any period overlapping these dates even when their programme's
    sequence is complete (`apps.placements.planning.needing_trainees`). Written through
    `manual_need_add` / `manual_need_remove` (audited)."""

    trainee = models.ForeignKey(
        "trainees.Trainee",
        on_delete=models.CASCADE,
        related_name="manual_needs",
        verbose_name=_("elev"),
    )
    start_date = models.DateField(_("fra"))
    end_date = models.DateField(_("til"))
    note = models.CharField(
        _("note"),
        max_length=255,
        help_text=_("Hvorfor eleven skal have en praktikplads."),
        error_messages={"blank": _("Skriv en note om, hvorfor eleven har behov.")},
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("oprettet af"),
    )
    created_at = models.DateTimeField(_("oprettet"), auto_now_add=True)

    department_path = "trainee__department"
    objects = TenantManager.from_queryset(ManualNeedQuerySet)()

    class Meta:
        verbose_name = _("manuelt praktikbehov")
        verbose_name_plural = _("manuelle praktikbehov")
        ordering = ["start_date", "trainee"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gte=F("start_date")),
                name="manual_need_end_after_start",
                violation_error_message=_("Til-datoen må ikke ligge før fra-datoen."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.trainee} {self.start_date}–{self.end_date}"

    def clean(self):
        super().clean()
        if (
            self.trainee_id
            and self.municipality_id
            and self.trainee.municipality_id != self.municipality_id
        ):
            raise ValidationError({"trainee": _("Eleven hører ikke til kommunen.")})


WISH_RANKS = (1, 2, 3)


class PlacementWish(MunicipalityOwned):
    """A trainee's wish for a workplace, ranked 1 (most wanted) to 3. The solver prefers a
    wished workplace when it can (rank 1 most), below a qualified supervisor and above the
    trainee's own department (`apps.placements.solver`). One workplace per rank and one rank
    per workplace for each trainee; the workplace must be the trainee's municipality's.
    Written through `wish_add` / `wish_remove` (audited)."""

    trainee = models.ForeignKey(
        "trainees.Trainee",
        on_delete=models.CASCADE,
        related_name="placement_wishes",
        verbose_name=_("elev"),
    )
    workplace = models.ForeignKey(
        "organisation.Workplace",
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("arbejdsplads"),
    )
    rank = models.PositiveSmallIntegerField(
        _("prioritet"),
        choices=[(n, str(n)) for n in WISH_RANKS],
        error_messages={"invalid_choice": _("Prioriteten skal være 1, 2 eller 3.")},
        validators=[
            MinValueValidator(1, _("Prioriteten skal være 1, 2 eller 3.")),
            MaxValueValidator(3, _("Prioriteten skal være 1, 2 eller 3.")),
        ],
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("oprettet af"),
    )
    created_at = models.DateTimeField(_("oprettet"), auto_now_add=True)

    department_path = "trainee__department"

    class Meta:
        verbose_name = _("praktikønske")
        verbose_name_plural = _("praktikønsker")
        ordering = ["trainee", "rank"]
        constraints = [
            models.UniqueConstraint(
                fields=["trainee", "rank"],
                name="wish_unique_rank",
                violation_error_message=_("Eleven har allerede et ønske med denne prioritet."),
            ),
            models.UniqueConstraint(
                fields=["trainee", "workplace"],
                name="wish_unique_workplace",
                violation_error_message=_("Eleven har allerede ønsket denne arbejdsplads."),
            ),
            models.CheckConstraint(
                condition=Q(rank__gte=1) & Q(rank__lte=3), name="wish_rank_1_to_3"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.trainee} {self.rank}. {self.workplace}"

    def clean(self):
        super().clean()
        errors = {}
        if (
            self.trainee_id
            and self.municipality_id
            and self.trainee.municipality_id != self.municipality_id
        ):
            errors["trainee"] = _("Eleven hører ikke til kommunen.")
        if (
            self.workplace_id
            and self.municipality_id
            and self.workplace.department.municipality_id != self.municipality_id
        ):
            errors["workplace"] = _("Arbejdspladsen hører ikke til kommunen.")
        if errors:
            raise ValidationError(errors)


class DraftStatus(models.TextChoices):
    DRAFT = "draft", _("Kladde")
    CONFIRMED = "confirmed", _("Bekræftet")


class PlacementDraft(MunicipalityOwned):
    """A proposed placement plan for one period, kept in the database while HR adjusts it.

    Rule: a municipality has at most one open draft (status "kladde") per period; proposing
    again replaces it. A confirmed draft is kept as the record of what was written."""

    start_date = models.DateField(_("fra"))
    end_date = models.DateField(_("til"))
    status = models.CharField(
        _("status"), max_length=12, choices=DraftStatus.choices, default=DraftStatus.DRAFT
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("oprettet af"),
    )
    created_at = models.DateTimeField(_("oprettet"), auto_now_add=True)
    version = models.PositiveIntegerField(_("version"), default=1)

    class Meta:
        verbose_name = _("planudkast")
        verbose_name_plural = _("planudkast")
        ordering = ["-start_date", "-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gte=F("start_date")),
                name="draft_end_after_start",
                violation_error_message=_("Til-datoen må ikke ligge før fra-datoen."),
            ),
            models.UniqueConstraint(
                fields=["municipality", "start_date", "end_date"],
                condition=Q(status="draft"),
                name="draft_one_open_per_period",
                violation_error_message=_("Der er allerede et åbent planudkast for perioden."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.start_date}–{self.end_date} ({self.get_status_display()})"

    @property
    def is_open(self) -> bool:
        return self.status == DraftStatus.DRAFT


class DraftAssignment(models.Model):
    """One trainee's line in a draft: the workplace and supervisor proposed (or chosen by
    HR), or, with no workplace, the Danish reason the trainee was not placed.

    Rule: one line per trainee per draft; the line's `version` guards moves against a stale
    page (a move based on an older version is refused)."""

    draft = models.ForeignKey(
        PlacementDraft, on_delete=models.CASCADE, related_name="rows", verbose_name=_("udkast")
    )
    trainee = models.ForeignKey(
        "trainees.Trainee", on_delete=models.CASCADE, related_name="+", verbose_name=_("elev")
    )
    workplace = models.ForeignKey(
        "organisation.Workplace",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("arbejdsplads"),
    )
    supervisor = models.ForeignKey(
        "supervisors.Supervisor",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("vejleder"),
    )
    qualified = models.BooleanField(_("uddannet vejleder"), default=False)
    unassigned_reason = models.CharField(_("årsag til ingen plads"), max_length=300, blank=True)
    version = models.PositiveIntegerField(_("version"), default=1)

    municipality_path = "draft__municipality"
    objects = TenantManager.from_queryset(TenantQuerySet)()

    class Meta:
        verbose_name = _("linje i planudkast")
        verbose_name_plural = _("linjer i planudkast")
        constraints = [
            models.UniqueConstraint(
                fields=["draft", "trainee"],
                name="draft_one_row_per_trainee",
                violation_error_message=_("Eleven står allerede i planudkastet."),
            ),
            models.CheckConstraint(
                condition=Q(supervisor__isnull=True) | Q(workplace__isnull=False),
                name="draft_supervisor_needs_workplace",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.trainee_id} → {self.workplace_id or '-'}"
