"""The strategy as a living document: versions, focus areas, goals, initiatives, status notes."""

import datetime

from django.conf import settings
from django.db import models
from django.db.models import F, Max, Q
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from apps.core.models import MunicipalityOwned, TimeStampedModel
from apps.core.scoping import TenantManager, TenantQuerySet
from apps.strategy.choices import GoalStatus, InitiativeStatus, StrategyStatus, SuggestedStatus


class KkrTheme(models.Model):
    """One of KKR Hovedstaden's four shared themes, which make strategies comparable across
    municipalities (praktikvejledere, onboarding, ledelsesopmærksomhed, kvalitet)."""

    code = models.SlugField(_("kode"), max_length=40, unique=True)
    name = models.CharField(_("navn"), max_length=120)
    order = models.PositiveSmallIntegerField(_("rækkefølge"), default=0)

    class Meta:
        verbose_name = _("KKR-tema")
        verbose_name_plural = _("KKR-temaer")
        ordering = ["order"]

    def __str__(self) -> str:
        return self.name


class FollowUpQuerySet(TenantQuerySet):
    """Named filters shared by goals and initiatives: what is due, what has gone quiet."""

    strategy_path = "strategy"

    def current(self) -> "FollowUpQuerySet":
        """Items of strategies still in force or in the making (not archived)."""
        return self.exclude(**{f"{self.strategy_path}__status": StrategyStatus.ARCHIVED})

    def with_last_update(self) -> "FollowUpQuerySet":
        """Annotate `last_update_at`: the newest status note, else when the item was created."""
        return self.annotate(
            last_update_at=Coalesce(Max("status_updates__created_at"), F("created_at"))
        )

    def follow_up_due(self, *, today: datetime.date, within_days: int) -> "FollowUpQuerySet":
        """Follow-up date passed or falling within `within_days` days of `today`."""
        return self.filter(follow_up_on__lte=today + datetime.timedelta(days=within_days))


class GoalQuerySet(FollowUpQuerySet):
    strategy_path = "focus_area__strategy"


class Strategy(MunicipalityOwned, TimeStampedModel):
    """One version of a municipality's uddannelsesstrategi ("Version februar 2022").

    Rule: an adopted version is read-only until a coordinator re-opens it; a new version is
    a copy that keeps the old one's history.
    """

    title = models.CharField(_("titel"), max_length=200)
    version_label = models.CharField(_("version"), max_length=100, blank=True)
    period_start = models.PositiveSmallIntegerField(_("periode fra (år)"), null=True, blank=True)
    period_end = models.PositiveSmallIntegerField(_("periode til (år)"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=StrategyStatus.choices, default=StrategyStatus.DRAFT
    )
    adopted_on = models.DateField(_("vedtaget dato"), null=True, blank=True)
    purpose = models.TextField(_("formål"), blank=True)
    previous_version = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="next_versions",
        verbose_name=_("forrige version"),
    )
    version = models.PositiveIntegerField(_("version (intern)"), default=1)

    class Meta:
        verbose_name = _("uddannelsesstrategi")
        verbose_name_plural = _("uddannelsesstrategier")
        ordering = ["municipality", "-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(period_start__isnull=True)
                | Q(period_end__isnull=True)
                | Q(period_end__gte=F("period_start")),
                name="strategy_period_ordered",
            )
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.version_label})" if self.version_label else self.title

    @property
    def is_read_only(self) -> bool:
        return self.status != StrategyStatus.DRAFT


class StrategyAdoption(models.Model):
    """One adoption of a strategy version: who adopted it, when, which version, and the
    adoption date it carries.

    Rule: events are only ever added (re-opening and adopting again adds one); the first
    one is never overwritten, and `Strategy.adopted_on` keeps the first adoption's date unless
    the coordinator gave a new date when adopting again.
    """

    strategy = models.ForeignKey(
        Strategy, on_delete=models.CASCADE, related_name="adoptions", verbose_name=_("strategi")
    )
    adopted_on = models.DateField(_("vedtagelsesdato"))
    adopted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("vedtaget af"),
    )
    version_label = models.CharField(_("version"), max_length=100, blank=True)
    strategy_version = models.PositiveIntegerField(_("version (intern)"), default=1)
    recorded_at = models.DateTimeField(_("registreret"), auto_now_add=True)

    municipality_path = "strategy__municipality"
    objects = TenantManager.from_queryset(TenantQuerySet)()

    class Meta:
        verbose_name = _("vedtagelse")
        verbose_name_plural = _("vedtagelser")
        ordering = ["strategy", "recorded_at", "id"]

    def __str__(self) -> str:
        return f"{self.strategy_id}: {self.adopted_on:%Y-%m-%d}"


class FocusArea(TimeStampedModel):
    """An indsatsområde / tema / fase of a strategy; may map to a shared KKR theme."""

    strategy = models.ForeignKey(
        Strategy, on_delete=models.CASCADE, related_name="focus_areas", verbose_name=_("strategi")
    )
    order = models.PositiveSmallIntegerField(_("rækkefølge"), default=0)
    title = models.CharField(_("titel"), max_length=255)
    description = models.TextField(_("beskrivelse"), blank=True)
    kkr_theme = models.ForeignKey(
        KkrTheme, on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("KKR-tema")
    )
    version = models.PositiveIntegerField(_("version (intern)"), default=1)

    municipality_path = "strategy__municipality"
    objects = TenantManager.from_queryset(TenantQuerySet)()

    class Meta:
        verbose_name = _("indsatsområde")
        verbose_name_plural = _("indsatsområder")
        ordering = ["strategy", "order", "id"]

    def __str__(self) -> str:
        return self.title


class Goal(TimeStampedModel):
    """A målsætning / succeskriterium: of one department, or of the whole municipality
    (a fælles mål) when `department` is empty."""

    focus_area = models.ForeignKey(
        FocusArea, on_delete=models.CASCADE, related_name="goals", verbose_name=_("indsatsområde")
    )
    department = models.ForeignKey(
        "organisation.Department",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="goals",
        verbose_name=_("fagområde"),
        help_text=_("Tom for et fælles mål for hele kommunen."),
    )
    text = models.TextField(_("målsætning"))
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="owned_goals",
        verbose_name=_("ansvarlig"),
    )
    follow_up_on = models.DateField(_("opfølgningsdato"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=GoalStatus.choices, default=GoalStatus.NOT_STARTED
    )
    # Written by the KPI recompute (apps.kpis), read by pages and the API: the status the
    # linked indicators' trajectory suggests; blank while no indicator is linked.
    suggested_status = models.CharField(
        _("foreslået status"), max_length=20, choices=SuggestedStatus.choices, blank=True
    )
    suggested_at = models.DateTimeField(_("foreslået"), null=True, blank=True)
    # The owner's answer to the suggestion (apps.strategy.services.goals
    # goal_suggestion_confirm / goal_status_override): who decided, when, on which suggestion,
    # and the reason when they chose another status than the suggested one.
    status_reason = models.TextField(_("begrundelse for status"), blank=True)
    status_decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("status besluttet af"),
    )
    status_decided_at = models.DateTimeField(_("status besluttet"), null=True, blank=True)
    status_decided_suggestion = models.CharField(
        _("forslag ved beslutningen"),
        max_length=20,
        choices=SuggestedStatus.choices,
        blank=True,
    )
    order = models.PositiveSmallIntegerField(_("rækkefølge"), default=0)
    version = models.PositiveIntegerField(_("version (intern)"), default=1)

    municipality_path = "focus_area__strategy__municipality"
    objects = TenantManager.from_queryset(GoalQuerySet)()

    class Meta:
        verbose_name = _("målsætning")
        verbose_name_plural = _("målsætninger")
        ordering = ["focus_area", "department", "order", "id"]

    def __str__(self) -> str:
        return self.text[:80]

    @property
    def is_common(self) -> bool:
        return self.department_id is None


class Initiative(TimeStampedModel):
    """An indsats / tiltag / anbefaling / forslag with purpose, aim, actions, budget and status."""

    strategy = models.ForeignKey(
        Strategy, on_delete=models.CASCADE, related_name="initiatives", verbose_name=_("strategi")
    )
    focus_area = models.ForeignKey(
        FocusArea,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="initiatives",
        verbose_name=_("indsatsområde"),
    )
    goals = models.ManyToManyField(
        Goal,
        blank=True,
        related_name="initiatives",
        verbose_name=_("målsætninger"),
        help_text=_(
            "De målsætninger, indsatsen skal hjælpe med at nå. En indsats kan tjene flere."
        ),
    )
    department = models.ForeignKey(
        "organisation.Department",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="initiatives",
        verbose_name=_("fagområde"),
    )
    reference = models.CharField(_("nummer"), max_length=20, blank=True)
    title = models.CharField(_("titel"), max_length=255)
    purpose = models.TextField(_("formål"), blank=True)
    aim = models.TextField(_("mål"), blank=True)
    actions = models.TextField(_("indsatser"), blank=True)
    follow_up = models.TextField(_("opfølgning"), blank=True)
    follow_up_on = models.DateField(_("opfølgningsdato"), null=True, blank=True)
    baseline = models.TextField(_("baseline"), blank=True)
    budget_dkk = models.DecimalField(
        _("budget (kr.)"), max_digits=12, decimal_places=0, null=True, blank=True
    )
    budget_note = models.TextField(_("ressourcer og økonomi"), blank=True)
    responsible = models.CharField(_("ansvarlig"), max_length=200, blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="owned_initiatives",
        verbose_name=_("ansvarlig bruger"),
    )
    next_step = models.TextField(_("næste skridt"), blank=True)
    origin = models.CharField(_("ophav"), max_length=200, blank=True)
    status = models.CharField(
        _("status"), max_length=30, choices=InitiativeStatus.choices, default=InitiativeStatus.IDEA
    )
    implemented_year = models.PositiveSmallIntegerField(
        _("implementeret år"), null=True, blank=True
    )
    order = models.PositiveSmallIntegerField(_("rækkefølge"), default=0)
    version = models.PositiveIntegerField(_("version (intern)"), default=1)

    municipality_path = "strategy__municipality"
    objects = TenantManager.from_queryset(FollowUpQuerySet)()

    class Meta:
        verbose_name = _("indsats")
        verbose_name_plural = _("indsatser")
        ordering = ["strategy", "order", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(budget_dkk__isnull=True) | Q(budget_dkk__gte=0),
                name="initiative_budget_not_negative",
            )
        ]

    def __str__(self) -> str:
        return self.title


class StatusUpdate(MunicipalityOwned):
    """A dated status note (opfølgning) with status and author on one goal or one initiative."""

    goal = models.ForeignKey(
        Goal,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="status_updates",
        verbose_name=_("målsætning"),
    )
    initiative = models.ForeignKey(
        Initiative,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="status_updates",
        verbose_name=_("indsats"),
    )
    status = models.CharField(_("status"), max_length=30)
    note = models.TextField(_("note"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("forfatter"),
    )
    created_at = models.DateTimeField(_("tidspunkt"), auto_now_add=True)

    class Meta:
        verbose_name = _("statusopdatering")
        verbose_name_plural = _("statusopdateringer")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(goal__isnull=False) & Q(initiative__isnull=True))
                | (Q(goal__isnull=True) & Q(initiative__isnull=False)),
                name="status_update_on_goal_or_initiative",
            )
        ]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d}: {self.note[:60]}"


class SentReminder(models.Model):
    """One automatic reminder mail that has gone out, so the same one never goes twice.

    Rule (enforced by the database): a due-soon or overdue reminder is sent once per item
    and follow-up date (a new date earns a new reminder), and the weekly digest once per
    user and ISO week.
    """

    class Kind(models.TextChoices):
        DUE_SOON = "due_soon", _("Opfølgning om 14 dage")
        OVERDUE = "overdue", _("Opfølgning overskredet")
        DIGEST = "digest", _("Ugentligt overblik")

    class ItemType(models.TextChoices):
        GOAL = "goal", _("målsætning")
        INITIATIVE = "initiative", _("indsats")

    kind = models.CharField(_("slags"), max_length=10, choices=Kind.choices)
    item_type = models.CharField(_("type"), max_length=10, choices=ItemType.choices, blank=True)
    item_id = models.PositiveBigIntegerField(_("id"), null=True, blank=True)
    follow_up_on = models.DateField(_("opfølgningsdato"), null=True, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="sent_reminders",
        verbose_name=_("modtager"),
    )
    iso_week = models.CharField(_("uge"), max_length=8, blank=True)
    sent_at = models.DateTimeField(_("sendt"), auto_now_add=True)

    class Meta:
        verbose_name = _("sendt påmindelse")
        verbose_name_plural = _("sendte påmindelser")
        constraints = [
            models.UniqueConstraint(
                fields=["item_type", "item_id", "kind", "follow_up_on"],
                condition=~Q(kind="digest"),
                name="sent_reminder_once_per_item_date",
            ),
            models.UniqueConstraint(
                fields=["user", "iso_week"],
                condition=Q(kind="digest"),
                name="sent_digest_once_per_week",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.item_type} {self.item_id or ''} {self.iso_week}".strip()
