"""Task worker heartbeats: which `manage.py task_worker` processes are alive, on any host."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class WorkerHeartbeat(models.Model):
    """One running task worker process (opgavekører) and when it last said it is alive.

    Rule: a `task_worker` records its row before it claims any task and refreshes
    `last_seen` every TASK_RECOVERY_INTERVAL_SECONDS; it deletes the row when it stops
    cleanly. A RUNNING task whose worker has no row seen within
    TASK_WORKER_HEARTBEAT_TIMEOUT_SECONDS is orphaned, whichever host it ran on
    (`recovery.py`); rows not seen for a day are deleted by the recovery round. `worker_id`
    is the id the worker claims tasks under (`w:<host>:<pid>:<start>`)."""

    worker_id = models.CharField(_("kører-id"), max_length=64, primary_key=True)
    host = models.CharField(_("vært"), max_length=255)
    pid = models.PositiveIntegerField(_("proces-id"))
    started_at = models.DateTimeField(_("startet"))
    last_seen = models.DateTimeField(_("senest set"), db_index=True)

    class Meta:
        verbose_name = _("opgavekører")
        verbose_name_plural = _("opgavekørere")
        ordering = ["host", "pid"]

    def __str__(self) -> str:
        return self.worker_id
