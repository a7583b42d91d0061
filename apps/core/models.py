"""Abstract bases shared by the domain apps, the append-only audit trail, and Danish-named
proxies of third-party models for the admin."""

import uuid

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_tasks_db.models import DBTaskResult

from apps.core.scoping import TenantManager, TenantQuerySet


class TimeStampedModel(models.Model):
    """Adds created/updated times to a model."""

    created_at = models.DateTimeField(_("oprettet"), auto_now_add=True)
    updated_at = models.DateTimeField(_("ændret"), auto_now=True)

    class Meta:
        abstract = True


class MunicipalityOwned(models.Model):
    """A row that belongs to one municipality (tenant) and is guarded by `TenantManager`."""

    municipality = models.ForeignKey(
        "organisation.Municipality", on_delete=models.PROTECT, verbose_name=_("kommune")
    )

    municipality_path = "municipality"
    department_path: str | None = None

    objects = TenantManager.from_queryset(TenantQuerySet)()

    class Meta:
        abstract = True


class AuditEntryQuerySet(models.QuerySet):
    def for_object(self, obj: models.Model) -> "AuditEntryQuerySet":
        return self.filter(object_type=obj._meta.label_lower, object_id=str(obj.pk))

    def lookups(self) -> "AuditEntryQuerySet":
        return self.filter(action__in=AuditEntry.LOOKUP_ACTIONS)

    def update(self, **kwargs):
        raise TypeError("Audit entries are append-only; use apps.core.audit.audit_redact")

    def delete(self):
        raise TypeError("Audit entries are append-only; use apps.core.audit.audit_lookups_purge")


class AuditEntry(models.Model):
    """One audit event (revisionsspor): who did what to which object, when, with old → new values.

    Append-only: an entry is never updated, except that the anonymisation blanks personal
    values; entries are only removed by the retention purge of look-up events. On
    PostgreSQL a trigger enforces both (apps/core/migrations/0004_audit_guarded_changes.py).
    """

    LOOKUP_ACTIONS = ("view", "search", "export")

    occurred_at = models.DateTimeField(_("tidspunkt"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("bruger"),
    )
    actor_label = models.CharField(_("brugernavn"), max_length=150, blank=True)
    role = models.CharField(_("rolle"), max_length=20, blank=True)
    municipality_id = models.IntegerField(_("kommune-id"), null=True, blank=True, db_index=True)
    # Indexed in Meta: found by its exact value, never by a prefix (no LIKE index).
    action = models.CharField(_("handling"), max_length=60)
    object_type = models.CharField(_("objekttype"), max_length=80, blank=True)
    object_id = models.CharField(_("objekt-id"), max_length=64, blank=True)
    object_repr = models.CharField(_("objekt"), max_length=255, blank=True)
    changes = models.JSONField(_("ændringer"), default=dict, blank=True)
    context = models.JSONField(_("detaljer"), default=dict, blank=True)

    objects = AuditEntryQuerySet.as_manager()

    class Meta:
        verbose_name = _("revisionsspor")
        verbose_name_plural = _("revisionsspor")
        ordering = ["-occurred_at", "-id"]
        indexes = [
            models.Index(fields=["object_type", "object_id"]),
            models.Index(fields=["action"], name="core_auditentry_action_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.occurred_at:%Y-%m-%d %H:%M} {self.actor_label} {self.action}"

    def save(self, *args, **kwargs):
        if self.pk is not None and not kwargs.get("force_insert"):
            raise ValueError("Audit entries are append-only")
        super().save(*args, **kwargs)


class ExportStatus(models.TextChoices):
    QUEUED = "queued", _("I kø")
    RUNNING = "running", _("Under udarbejdelse")
    READY = "ready", _("Klar")
    FAILED = "failed", _("Mislykkedes")
    EXPIRED = "expired", _("Udløbet")


class ExportJob(models.Model):
    """A large list export built by the task worker (eksportjob): who asked for which list
    with which filters, the progress, and the finished file itself.

    Rules: the file is kept in the database (any worker on any host can serve it), only the
    requester may fetch it, and only until `expires_at`; after that the bytes and the filter
    values are deleted and the job stays as a short tombstone so the link can say "udløbet".
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("bestilt af"),
    )
    municipality = models.ForeignKey(
        "organisation.Municipality",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("kommune"),
    )
    permission = models.CharField(_("krævet adgang"), max_length=40)
    list_label = models.CharField(_("liste"), max_length=80)
    name = models.CharField(_("filnavn"), max_length=80)
    format = models.CharField(_("format"), max_length=10)
    params = models.JSONField(_("filtre"), default=dict, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=ExportStatus.choices, default=ExportStatus.QUEUED
    )
    rows_total = models.PositiveIntegerField(_("rækker i alt"), default=0)
    rows_done = models.PositiveIntegerField(_("rækker skrevet"), default=0)
    content = models.BinaryField(_("fil"), null=True, blank=True)
    size = models.PositiveIntegerField(_("størrelse (bytes)"), default=0)
    message = models.TextField(_("besked"), blank=True)
    task_id = models.CharField(_("opgave-id"), max_length=64, blank=True, editable=False)
    created_at = models.DateTimeField(_("bestilt"), auto_now_add=True)
    finished_at = models.DateTimeField(_("færdig"), null=True, blank=True)
    expires_at = models.DateTimeField(_("udløber"), db_index=True)

    municipality_path = "municipality"
    objects = TenantManager.from_queryset(TenantQuerySet)()

    class Meta:
        verbose_name = _("eksport")
        verbose_name_plural = _("eksporter")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name}.{self.format} ({self.get_status_display()})"

    def get_absolute_url(self) -> str:
        return reverse("core:export_job", kwargs={"pk": self.pk})

    @property
    def is_pending(self) -> bool:
        return self.status in {ExportStatus.QUEUED, ExportStatus.RUNNING}

    def is_expired(self, now=None) -> bool:
        return self.status == ExportStatus.EXPIRED or self.expires_at <= (now or timezone.now())

    @property
    def file_name(self) -> str:
        return f"{self.name}-{timezone.localdate(self.created_at):%Y-%m-%d}.{self.format}"


# Danish names in the admin for third-party models (apps/core/admin.py registers these
# proxies instead of the originals). Proxies add no table.


class LoginLock(AccessAttempt):
    """django-axes' failed-login counter per username + IP; deleting one lifts a lock-out."""

    class Meta:
        proxy = True
        verbose_name = _("login-spærring")
        verbose_name_plural = _("login-spærringer")


class LoginLogEntry(AccessLog):
    """django-axes' record of one login and logout (kept 90 days)."""

    class Meta:
        proxy = True
        verbose_name = _("login")
        verbose_name_plural = _("logins")


class LoginFailure(AccessFailureLog):
    """django-axes' record of one failed login."""

    class Meta:
        proxy = True
        verbose_name = _("fejlet login")
        verbose_name_plural = _("fejlede logins")


class TwoFactorDevice(TOTPDevice):
    """A user's TOTP app (two-factor); an admin deletes it when the phone is lost."""

    class Meta:
        proxy = True
        verbose_name = _("to-faktor-enhed")
        verbose_name_plural = _("to-faktor-enheder")


class TaskResult(DBTaskResult):
    """One run of a background task (imports, nightly jobs): the operator's view only."""

    class Meta:
        proxy = True
        verbose_name = _("baggrundsopgave")
        verbose_name_plural = _("baggrundsopgaver")
