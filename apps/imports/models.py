"""Import batches (one uploaded HR spreadsheet) and their rows (the preview and undo data)."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from apps.core.models import MunicipalityOwned
from apps.core.scoping import TenantManager, TenantQuerySet


class ImportKind(models.TextChoices):
    TRAINEES = "trainees", _("Elever")
    PLACEMENTS = "placements", _("Praktikperioder")
    ABSENCE = "absence", _("Fravær")
    SUPERVISORS = "supervisors", _("Vejledere")
    CAPACITY = "capacity", _("Kapacitet")


class BatchStatus(models.TextChoices):
    QUEUED = "queued", _("I kø")
    PROCESSING = "processing", _("Kontrolleres")
    READY = "ready", _("Klar til godkendelse")
    REFUSED = "refused", _("Afvist")
    APPLIED = "applied", _("Importeret")
    UNDONE = "undone", _("Fortrudt")


class RowAction(models.TextChoices):
    NEW = "new", _("Ny")
    CHANGED = "changed", _("Ændret")
    UNCHANGED = "unchanged", _("Uændret")
    REJECTED = "rejected", _("Afvist")


class ImportBatchQuerySet(TenantQuerySet):
    """Batches of the municipality in scope (HR and admins see their own municipality's)."""

    def applied(self):
        return self.filter(status=BatchStatus.APPLIED)


class ImportBatch(MunicipalityOwned):
    """One uploaded spreadsheet (importkørsel): who uploaded which file of which kind, how it
    was read, how many rows are new/changed/unchanged/rejected, and whether it was applied
    or undone. The uploaded bytes are kept in PostgreSQL (`ImportUpload`), so any worker on
    any host can read them, until the check has stored its outcome (an interrupted check is
    run again from them, `check_runs.py`) or the check is failed; the rows live on as
    `ImportRow`."""

    kind = models.CharField(_("type"), max_length=20, choices=ImportKind.choices, blank=True)
    requested_kind = models.CharField(
        _("valgt type"), max_length=20, choices=ImportKind.choices, blank=True
    )
    status = models.CharField(
        _("status"), max_length=20, choices=BatchStatus.choices, default=BatchStatus.QUEUED
    )
    file_name = models.CharField(_("filnavn"), max_length=255)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("uploadet af"),
    )
    created_at = models.DateTimeField(_("uploadet"), auto_now_add=True)
    applied_at = models.DateTimeField(_("importeret"), null=True, blank=True)
    applied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("importeret af"),
    )
    undone_at = models.DateTimeField(_("fortrudt"), null=True, blank=True)
    rows_purged_at = models.DateTimeField(_("rækkedetaljer slettet"), null=True, blank=True)
    progress = models.PositiveSmallIntegerField(_("fremskridt (%)"), default=0)
    total_rows = models.PositiveIntegerField(_("rækker i alt"), default=0)
    created_count = models.PositiveIntegerField(_("nye"), default=0)
    updated_count = models.PositiveIntegerField(_("ændrede"), default=0)
    unchanged_count = models.PositiveIntegerField(_("uændrede"), default=0)
    rejected_count = models.PositiveIntegerField(_("afviste"), default=0)
    warning_count = models.PositiveIntegerField(_("bemærkninger"), default=0)
    ignored_columns = models.JSONField(_("ignorerede kolonner"), default=list, blank=True)
    dropped_columns = models.JSONField(_("fjernede CPR-kolonner"), default=list, blank=True)
    columns = models.JSONField(_("kolonner"), default=list, blank=True)
    message = models.TextField(_("besked"), blank=True)
    task_id = models.CharField(_("opgave-id"), max_length=64, blank=True, editable=False)
    # Who is checking the file, and when it last showed progress: the imports watchdog
    # fails a check whose process is gone or has been silent too long (`retention.py`).
    worker_host = models.CharField(_("kontrolleres på"), max_length=255, blank=True, editable=False)
    worker_pid = models.PositiveIntegerField(_("proces-id"), null=True, blank=True, editable=False)
    worker_started = models.CharField(
        _("processens starttid"), max_length=32, blank=True, editable=False
    )
    heartbeat_at = models.DateTimeField(_("senest i gang"), null=True, blank=True, editable=False)

    objects = TenantManager.from_queryset(ImportBatchQuerySet)()

    class Meta:
        verbose_name = _("import")
        verbose_name_plural = _("importer")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["municipality", "kind", "status"])]

    def __str__(self) -> str:
        return f"{self.file_name} ({self.get_kind_display() or '?'})"

    def get_absolute_url(self) -> str:
        return reverse("imports:batch_detail", args=[self.pk])

    @property
    def is_pending(self) -> bool:
        return self.status in {BatchStatus.QUEUED, BatchStatus.PROCESSING}

    @property
    def accepted_count(self) -> int:
        return self.created_count + self.updated_count


class ImportUpload(models.Model):
    """The bytes of an uploaded spreadsheet until its check has stored its outcome.

    Rule: nothing of an import lives on the local disk between processes. The web process
    stores the upload here in the same transaction that creates its batch and queues its
    check, so the worker reading it may run on any host; the row is deleted in the same
    transaction that stores the check's outcome (or when the check is failed), so a check
    whose worker died is run again from it, and only the batch's counts and rows remain.
    `sha256` and `size` describe the bytes; the uploader's own file name is kept only on
    the batch."""

    batch = models.OneToOneField(
        ImportBatch, on_delete=models.CASCADE, related_name="upload", verbose_name=_("import")
    )
    extension = models.CharField(_("filtype"), max_length=8)
    size = models.PositiveBigIntegerField(_("størrelse (bytes)"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    content = models.BinaryField(_("indhold"))
    created_at = models.DateTimeField(_("uploadet"), auto_now_add=True)

    municipality_path = "batch__municipality"
    objects = TenantManager.from_queryset(TenantQuerySet)()

    class Meta:
        verbose_name = _("uploadet fil")
        verbose_name_plural = _("uploadede filer")

    def __str__(self) -> str:
        return f"{self.batch_id}.{self.extension} ({self.size} bytes)"


class ImportRow(models.Model):
    """One data row of a batch as read and classified by the preview (new, changed,
    unchanged or rejected). `data` holds the cleaned values to write (never a CPR number),
    `old` the values it replaces (so undo can restore them), `changes` old → new for display
    and audit, `errors` the Danish reasons a row was rejected and `warnings` notes such as
    an unknown dropout reason kept as "Andet". `row_hash` (accepted rows without remarks)
    and `version` (the stored row's version once the import is applied) let the next
    import of the same file recognise the row as unchanged without cleaning it again
    (`unchanged.py`)."""

    # No index of its own: the (batch, action, row_number) index serves every look-up by
    # batch, and one index fewer to fill for each of a file's rows.
    batch = models.ForeignKey(
        ImportBatch,
        on_delete=models.CASCADE,
        related_name="rows",
        verbose_name=_("import"),
        db_index=False,
    )
    row_number = models.PositiveIntegerField(_("række"))
    action = models.CharField(_("resultat"), max_length=10, choices=RowAction.choices)
    key = models.CharField(_("nøgle"), max_length=120, blank=True)
    label = models.CharField(_("beskrivelse"), max_length=255, blank=True)
    object_id = models.BigIntegerField(_("objekt-id"), null=True, blank=True)
    data = models.JSONField(_("data"), default=dict, blank=True)
    old = models.JSONField(_("tidligere værdier"), default=dict, blank=True)
    changes = models.JSONField(_("ændringer"), default=dict, blank=True)
    errors = models.JSONField(_("fejl"), default=list, blank=True)
    warnings = models.JSONField(_("bemærkninger"), default=list, blank=True)
    row_hash = models.CharField(_("rækkens kontrolsum"), max_length=32, blank=True)
    version = models.PositiveIntegerField(_("version efter importen"), null=True, blank=True)

    municipality_path = "batch__municipality"
    objects = TenantManager.from_queryset(TenantQuerySet)()

    class Meta:
        verbose_name = _("importrække")
        verbose_name_plural = _("importrækker")
        ordering = ["batch", "row_number"]
        indexes = [models.Index(fields=["batch", "action", "row_number"])]

    def __str__(self) -> str:
        return f"{self.batch_id}:{self.row_number} {self.action}"

    @property
    def has_problem(self) -> bool:
        return self.action == RowAction.REJECTED or bool(self.warnings)
