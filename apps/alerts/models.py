"""Early warnings about trainees: the absence warning (DOMAIN.md, "absence warning").

A flag (`AbsenceFlag`) is stored per trainee while their sick absence over the
municipality's three most recent absence months is above the municipality's threshold
(`AlertSettings.absence_threshold`, default 10 %). Flags are recomputed after every import
and every night (`apps.alerts.services.absence_flags_recompute`); a flag that no longer holds
is closed with the reason, never deleted, so what was flagged and what was done stays in
the history. "Sat i gang" notes (`AbsenceFlagAction`) record what was done about a flag.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from apps.core.models import MunicipalityOwned
from apps.core.scoping import PersonLevelQuerySet, TenantManager, TenantQuerySet

DEFAULT_ABSENCE_THRESHOLD = Decimal("10.00")
NOTE_MAX_LENGTH = 1000


class AlertSettings(MunicipalityOwned):
    """One municipality's warning settings and when its flags were last computed."""

    absence_threshold = models.DecimalField(
        _("tærskel for sygefravær (%)"),
        max_digits=5,
        decimal_places=2,
        default=DEFAULT_ABSENCE_THRESHOLD,
        validators=[
            MinValueValidator(Decimal("0.01"), _("Tærsklen skal være over 0 %%.")),
            MaxValueValidator(Decimal("100"), _("Tærsklen kan højst være 100 %%.")),
        ],
        help_text=_("En elev markeres, når sygefraværet er over denne procent."),
    )
    absence_window_start = models.DateField(_("første måned"), null=True, blank=True)
    absence_window_end = models.DateField(_("seneste måned"), null=True, blank=True)
    absence_computed_at = models.DateTimeField(_("beregnet"), null=True, blank=True)
    version = models.PositiveIntegerField(_("version"), default=1)
    updated_at = models.DateTimeField(_("ændret"), auto_now=True)

    objects = TenantManager.from_queryset(TenantQuerySet)()

    class Meta:
        verbose_name = _("varslingsindstillinger")
        verbose_name_plural = _("varslingsindstillinger")
        constraints = [
            models.UniqueConstraint(fields=["municipality"], name="alert_settings_one_per_mun"),
        ]

    def __str__(self) -> str:
        return str(_("Varslingsindstillinger"))


class FlagStatus(models.TextChoices):
    OPEN = "open", _("Ny")
    IN_MOTION = "in_motion", _("Sat i gang")
    CLOSED = "closed", _("Lukket")


class CloseReason(models.TextChoices):
    BELOW = "below", _("Sygefraværet er ikke længere over tærsklen")
    INACTIVE = "inactive", _("Eleven er ikke længere aktiv")
    NO_ROWS = "no_rows", _("Intet fravær registreret i perioden")


class AbsenceFlagQuerySet(PersonLevelQuerySet):
    def current(self):
        """Flags that still hold (not closed)."""
        return self.filter(closed_at__isnull=True)


class AbsenceFlag(MunicipalityOwned):
    """A trainee whose Σ sick ÷ Σ planned days over the window is above the threshold.

    `months` keeps the window's months for the trend: `[{"month": "2026-09-01",
    "sick": "2.00", "planned": "20.00"}, …]` (sick/planned None for a month without a row).
    """

    trainee = models.ForeignKey(
        "trainees.Trainee",
        on_delete=models.CASCADE,
        related_name="absence_flags",
        verbose_name=_("elev"),
    )
    status = models.CharField(
        _("status"), max_length=12, choices=FlagStatus.choices, default=FlagStatus.OPEN
    )
    window_start = models.DateField(_("første måned"))
    window_end = models.DateField(_("seneste måned"))
    sick_days = models.DecimalField(_("sygedage"), max_digits=7, decimal_places=2)
    planned_days = models.DecimalField(_("planlagte dage"), max_digits=7, decimal_places=2)
    rate = models.DecimalField(_("sygefravær (%)"), max_digits=6, decimal_places=2)
    threshold = models.DecimalField(_("tærskel (%)"), max_digits=5, decimal_places=2)
    months = models.JSONField(_("måneder"), default=list)
    opened_at = models.DateTimeField(_("markeret"))
    computed_at = models.DateTimeField(_("beregnet"))
    closed_at = models.DateTimeField(_("lukket"), null=True, blank=True)
    close_reason = models.CharField(
        _("årsag til lukning"), max_length=12, choices=CloseReason.choices, blank=True
    )
    version = models.PositiveIntegerField(_("version"), default=1)

    department_path = "trainee__department"
    objects = TenantManager.from_queryset(AbsenceFlagQuerySet)()

    class Meta:
        verbose_name = _("fraværsvarsel")
        verbose_name_plural = _("fraværsvarsler")
        ordering = ["-opened_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["trainee"],
                condition=Q(closed_at__isnull=True),
                name="absence_flag_one_current_per_trainee",
            ),
            models.CheckConstraint(
                condition=(
                    Q(closed_at__isnull=True, close_reason="") & ~Q(status=FlagStatus.CLOSED)
                )
                | Q(closed_at__isnull=False, status=FlagStatus.CLOSED),
                name="absence_flag_closed_consistently",
            ),
        ]
        indexes = [models.Index(fields=["municipality", "closed_at"])]

    def __str__(self) -> str:
        # Without the trainee's name: no query per flag when flags are audited in bulk.
        return _("Fraværsvarsel %(pk)s (%(month)s)") % {
            "pk": self.pk,
            "month": f"{self.window_end:%m.%Y}",
        }

    @property
    def is_current(self) -> bool:
        return self.closed_at is None


class AbsenceFlagAction(MunicipalityOwned):
    """A note that something was set in motion about a flag (a talk held, the guide told)."""

    flag = models.ForeignKey(
        AbsenceFlag, on_delete=models.CASCADE, related_name="actions", verbose_name=_("varsel")
    )
    note = models.TextField(_("note"), max_length=NOTE_MAX_LENGTH)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("registreret af"),
    )
    created_at = models.DateTimeField(_("registreret"), auto_now_add=True)

    department_path = "flag__trainee__department"
    objects = TenantManager.from_queryset(PersonLevelQuerySet)()

    class Meta:
        verbose_name = _("handling på fraværsvarsel")
        verbose_name_plural = _("handlinger på fraværsvarsler")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.flag_id}: {self.note[:40]}"


class AbsenceFlagNotice(models.Model):
    """A flag told to a leader in their weekly digest, so each flag is told once."""

    flag = models.ForeignKey(AbsenceFlag, on_delete=models.CASCADE, related_name="notices")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    sent_at = models.DateTimeField(auto_now_add=True)

    municipality_path = "flag__municipality"
    objects = TenantManager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["flag", "user"], name="absence_flag_notice_once"),
        ]

    def __str__(self) -> str:
        return f"{self.flag_id} → {self.user_id}"
