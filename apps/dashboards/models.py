"""The change log that tells the department dashboard when its cached figures are stale."""

from django.db import models


class SourceChange(models.Model):
    """One write statement to a table the dashboard's figures are computed from, appended by
    PostgreSQL itself (the trigger `apps.dashboards.freshness` installs), in the writer's own
    transaction. Enforces: cached figures are never served once the data under them changed,
    whatever wrote it (a form, an import's bulk insert, a fact recompute, raw SQL). Holds no
    personal data: a table name and how many writes a row stands for."""

    table = models.CharField(max_length=63)
    # A compacted row stands for many writes, so the sum over the log only ever grows.
    weight = models.PositiveIntegerField(default=1)

    def __str__(self) -> str:
        return f"{self.table} ×{self.weight}"
