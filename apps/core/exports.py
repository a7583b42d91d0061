"""List exports shared by every person list: the audited filter set, the spreadsheet writer
(xlsx and Danish-Excel csv) with its formula guard, and the background export jobs.

Cells starting with `=`, `+`, `-`, `@`, tab or carriage return are data, never formulas
(import-spec.md): they are prefixed with an apostrophe so no spreadsheet evaluates them.

A list with more than EXPORT_BACKGROUND_ROWS rows is not written in the request: an
`ExportJob` is queued, the task worker writes the file into the database with progress,
and only the requester can fetch it until EXPORT_LINK_HOURS have passed. The request and
every download are audit events (look-ups).
"""

from __future__ import annotations

import csv
import datetime
import io
import logging
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import django_filters
from django.conf import settings
from django.db import transaction
from django.http import HttpResponse, QueryDict
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook

from apps.core.audit import audit_record
from apps.core.formatting import format_date
from apps.core.models import ExportJob, ExportStatus
from apps.core.scoping import Scope, tenancy_for

logger = logging.getLogger(__name__)

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
FORMATS = ("xlsx", "csv")
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_TYPE = "text/csv; charset=utf-8"
# How often the worker writes its progress (rows), and how long an expired job's tombstone
# stays so its link can still say "udløbet" instead of "findes ikke".
PROGRESS_EVERY = 500
TOMBSTONE_DAYS = 7


# --- the formula guard and the writers ---------------------------------------------------


def neutralise(value: Any) -> Any:
    """A cell value that no spreadsheet will run as a formula."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def csv_cell(value: Any) -> str:
    """A value as csv text for Danish Excel (dd-mm-yyyy, Ja/Nej, decimal comma),
    formula-neutralised."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "Ja" if value else "Nej"
    if isinstance(value, datetime.date):
        return format_date(value)
    if isinstance(value, (float, Decimal)):
        if value % 1 == 0:
            return f"{value:.0f}"
        return f"{value:f}".rstrip("0").replace(".", ",")
    return str(neutralise(value if isinstance(value, str) else str(value)))


def xlsx_cell(value: Any) -> Any:
    """A value as an xlsx cell: numbers and dates typed, everything else formula-neutral text."""
    if isinstance(value, bool):
        return "Ja" if value else "Nej"
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, (int, float, datetime.date)) or value is None:
        return value
    return neutralise(str(value))


def write_csv(headers: Sequence[str], rows: Iterable[Sequence[Any]]) -> bytes:
    """`;`-separated UTF-8 with BOM, which Danish Excel opens with æ, ø and å intact."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow([csv_cell(h) for h in headers])
    for row in rows:
        writer.writerow([csv_cell(v) for v in row])
    return buffer.getvalue().encode("utf-8-sig")


def write_xlsx(headers: Sequence[str], rows: Iterable[Sequence[Any]], *, title: str) -> bytes:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=title[:31])
    sheet.append([xlsx_cell(h) for h in headers])
    for row in rows:
        sheet.append([xlsx_cell(v) for v in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def write_file(headers: Sequence[str], rows: Iterable[Sequence[Any]], *, fmt: str, name: str):
    """The file's bytes and content type for `fmt` ("xlsx" or "csv")."""
    if fmt == "csv":
        return write_csv(headers, rows), CSV_TYPE
    return write_xlsx(headers, rows, title=name), XLSX_TYPE


def file_response(content: bytes, *, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def export_response(
    *, headers: Sequence[str], rows: Iterable[Sequence[Any]], fmt: str, name: str
) -> HttpResponse:
    """A download of `rows` as `fmt` ("xlsx" or "csv") named `<name>-<date>.<fmt>`."""
    content, content_type = write_file(headers, rows, fmt=fmt, name=name)
    filename = f"{name}-{timezone.localdate():%Y-%m-%d}.{fmt}"
    return file_response(content, content_type=content_type, filename=filename)


# --- the audited filter set --------------------------------------------------------------


def mark_invalid_fields(form) -> None:
    """Tie each invalid filter input to its message for screen readers."""
    for name in form.errors:
        if name in form.fields:
            form.fields[name].widget.attrs["aria-invalid"] = "true"
            form.fields[name].widget.attrs["aria-describedby"] = f"{name}-error"


class AuditedFilterSet(django_filters.FilterSet):
    """Base of the person lists' filter sets: the criteria as plain text for the access log,
    and results that are empty (never silently unfiltered) when a value is invalid."""

    def criteria(self) -> dict[str, str]:
        """The valid, non-empty criteria as plain text, for the access log."""
        if not self.is_bound or not self.form.is_valid():
            return {}
        result = {}
        for name, value in self.form.cleaned_data.items():
            if value in (None, ""):
                continue
            result[name] = str(value.pk) if hasattr(value, "pk") else str(value)
        return result

    def results(self):
        """The filtered queryset; no rows when a value is invalid."""
        if self.is_bound and not self.is_valid():
            mark_invalid_fields(self.form)
            return self.queryset.none()
        return self.qs


# --- list exports: in the request or in the background -----------------------------------


@dataclass(frozen=True)
class ListExport:
    """How one person list is exported: its audit label, file name, the scope permission it
    needs, the headers, and how to build the filter set and the rows for a scope (in the
    request and, for a background job, again in the worker)."""

    label: str
    name: Callable[[], str]
    permission: str
    headers: Callable[[Scope], list[str]]
    filterset: Callable[[QueryDict | None, Scope], AuditedFilterSet]
    rows: Callable[[Any, Scope], Iterable[Sequence[Any]]]


def _format(request) -> str:
    fmt = request.GET.get("format", "xlsx")
    return fmt if fmt in FORMATS else "xlsx"


def audited_list_export(request, *, export: ListExport, task) -> HttpResponse:
    """The filtered list as a download, or, above EXPORT_BACKGROUND_ROWS rows, a queued job
    and a redirect to its progress page. `task` is the app's task running `export_job_run`.

    Rule: every export of a person list is logged with its criteria, format and row count;
    an unknown `?format=` falls back to xlsx.
    """
    fmt = _format(request)
    scope = request.scope
    filterset = export.filterset(request.GET or None, scope)
    results = filterset.results()
    total = results.count()
    if total > settings.EXPORT_BACKGROUND_ROWS:
        job = export_job_start(
            actor=request.user,
            scope=scope,
            export=export,
            fmt=fmt,
            params=request.GET,
            criteria=filterset.criteria(),
            total=total,
            task=task,
        )
        return redirect(job)
    rows = list(export.rows(results, scope))
    audit_record(
        actor=request.user,
        action="export",
        context={
            "list": export.label,
            "criteria": filterset.criteria(),
            "format": fmt,
            "rows": len(rows),
        },
    )
    return export_response(headers=export.headers(scope), rows=rows, fmt=fmt, name=export.name())


def _plain_params(params: QueryDict) -> dict[str, list[str]]:
    return {key: params.getlist(key) for key in params if key not in ("format", "page")}


def export_job_start(
    *, actor, scope: Scope, export: ListExport, fmt: str, params, criteria, total: int, task
) -> ExportJob:
    """Queue a background export of a filtered list for `actor` and log the request.

    Rule: one identical export (same list, filters and format) still waiting or running for
    the same user is reused, so a double click does not build the file twice.
    """
    plain = _plain_params(params)
    now = timezone.now()
    existing = (
        ExportJob.objects.filter(
            requested_by=actor,
            list_label=export.label,
            format=fmt,
            params=plain,
            status__in=[ExportStatus.QUEUED, ExportStatus.RUNNING],
            expires_at__gt=now,
        )
        .defer("content")
        .first()
    )
    if existing is not None:
        return existing
    with transaction.atomic():
        job = ExportJob(
            requested_by=actor,
            municipality_id=scope.municipality_id,
            permission=export.permission,
            list_label=export.label,
            name=export.name()[:80],
            format=fmt,
            params=plain,
            rows_total=total,
            expires_at=now + datetime.timedelta(hours=settings.EXPORT_LINK_HOURS),
        )
        job.full_clean(exclude=["content"])
        job.save()
        audit_record(
            actor=actor,
            action="export",
            obj=job,
            context={
                "list": export.label,
                "criteria": criteria,
                "format": fmt,
                "rows": total,
                "delivery": "background",
            },
        )
        result = task.enqueue(str(job.pk))
        ExportJob.objects.filter(pk=job.pk).update(task_id=str(result.id)[:64])
    return job


def _counted(rows: Iterable, job: ExportJob) -> Iterator:
    for done, row in enumerate(rows, start=1):
        yield row
        if done % PROGRESS_EVERY == 0:
            ExportJob.objects.filter(pk=job.pk).update(rows_done=done)


def export_job_run(*, job_id: str, export: ListExport, scope_for: Callable[[Any], Scope | None]):
    """Build a queued export's file in the worker and store it in the job.

    Rules: the list is filtered again with the requester's scope as it is now (a user who
    has lost access gets no file), inside that scope's tenancy; the progress is written
    every PROGRESS_EVERY rows; a failure is recorded with a Danish message.
    """
    job = ExportJob.objects.select_related("requested_by").defer("content").get(pk=job_id)
    if job.status != ExportStatus.QUEUED or job.is_expired():
        return {"job": str(job.pk), "status": job.status}
    ExportJob.objects.filter(pk=job.pk).update(status=ExportStatus.RUNNING)
    scope = scope_for(job.requested_by) if job.requested_by.is_active else None
    if scope is None or not getattr(scope, job.permission, False):
        ExportJob.objects.filter(pk=job.pk).update(
            status=ExportStatus.FAILED, message=_("Du har ikke længere adgang til listen.")
        )
        return {"job": str(job.pk), "status": ExportStatus.FAILED}
    try:
        with tenancy_for(scope):
            data = QueryDict(mutable=True)
            for key, values in job.params.items():
                data.setlist(key, values)
            filterset = export.filterset(data or None, scope)
            results = filterset.results()
            total = results.count()
            ExportJob.objects.filter(pk=job.pk).update(rows_total=total)
            rows = _counted(export.rows(results, scope), job)
            content, _type = write_file(export.headers(scope), rows, fmt=job.format, name=job.name)
    except Exception:
        logger.exception("Export job %s failed", job.pk)
        ExportJob.objects.filter(pk=job.pk).update(
            status=ExportStatus.FAILED, message=_("Filen kunne ikke udarbejdes. Prøv igen.")
        )
        return {"job": str(job.pk), "status": ExportStatus.FAILED}
    finished = timezone.now()
    ExportJob.objects.filter(pk=job.pk).update(
        status=ExportStatus.READY,
        content=content,
        size=len(content),
        rows_total=total,
        rows_done=total,
        finished_at=finished,
        expires_at=finished + datetime.timedelta(hours=settings.EXPORT_LINK_HOURS),
    )
    return {"job": str(job.pk), "status": ExportStatus.READY, "rows": total}


def export_job_expire(*, job: ExportJob) -> None:
    """Delete an expired job's file and filter values; the job stays as a tombstone."""
    ExportJob.objects.filter(pk=job.pk).update(
        status=ExportStatus.EXPIRED, content=None, size=0, params={}
    )
    job.status = ExportStatus.EXPIRED


def export_jobs_purge(*, now: datetime.datetime | None = None) -> int:
    """Nightly: delete the files of expired export jobs, and the jobs themselves once they
    expired more than TOMBSTONE_DAYS ago. Returns the number of files deleted."""
    now = now or timezone.now()
    expired = ExportJob.objects.filter(expires_at__lte=now).exclude(status=ExportStatus.EXPIRED)
    count = expired.update(status=ExportStatus.EXPIRED, content=None, size=0, params={})
    ExportJob.objects.filter(expires_at__lte=now - datetime.timedelta(days=TOMBSTONE_DAYS)).delete()
    return count


def export_job_download(*, job: ExportJob, actor) -> HttpResponse:
    """The finished file of `actor`'s own job, with one audit event per download."""
    content = ExportJob.objects.values_list("content", flat=True).get(pk=job.pk)
    audit_record(
        actor=actor,
        action="export",
        obj=job,
        context={"list": job.list_label, "format": job.format, "delivery": "download"},
    )
    content_type = CSV_TYPE if job.format == "csv" else XLSX_TYPE
    return file_response(bytes(content), content_type=content_type, filename=job.file_name)
