"""The start page (sends each role to where its work is), the generic error pages, and the
progress and download pages of background list exports."""

import logging

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse, HttpResponseServerError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.html import escape
from django.utils.translation import gettext as _

from apps.core.errors import default_detail, is_api_request, json_error
from apps.core.exports import export_job_download, export_job_expire
from apps.core.middleware import current_correlation_id
from apps.core.models import ExportJob, ExportStatus
from apps.core.roles import Role

logger = logging.getLogger(__name__)

# Where each role starts its day.
START_PAGE_BY_ROLE = {
    Role.COORDINATOR: "strategy:followup",
    Role.ADMIN: "strategy:followup",
    Role.LEADER: "dashboards:department_default",
    Role.HR: "imports:batch_list",
    Role.KKR_ANALYST: "dashboards:kkr_overview",
}


@login_required
def home(request):
    try:
        return redirect(reverse(START_PAGE_BY_ROLE[request.user.role]))
    except (KeyError, NoReverseMatch):
        return render(request, "core/home.html")


def _correlation_id(request) -> str:
    return getattr(request, "correlation_id", current_correlation_id())


def _error(request, status: int, template: str, message: str | None = None):
    """The Danish error page, or under /api/ the same error as JSON."""
    if is_api_request(request):
        return json_error(message or default_detail(status, _correlation_id(request)), status)
    context = {"correlation_id": _correlation_id(request), "message": message}
    return render(request, template, context, status=status)


def bad_request(request, exception=None, message: str | None = None):
    return _error(request, 400, "errors/400.html", message)


def permission_denied(request, exception=None):
    return _error(request, 403, "errors/403.html")


def csrf_failure(request, reason=""):
    """A form sent without a valid CSRF token (often an expired session): a Danish page."""
    if is_api_request(request):
        return json_error(_("Forespørgslen blev afvist (CSRF). API'et kan kun læses."), 403)
    return _error(request, 403, "errors/403_csrf.html")


def page_not_found(request, exception=None):
    return _error(request, 404, "errors/404.html")


FALLBACK_500 = (
    '<!doctype html><html lang="da"><head><meta charset="utf-8"><title>Der opstod en fejl'
    "</title></head><body><h1>Der opstod en fejl</h1><p>Noget gik galt hos os, og intet er "
    "gemt af det, du var i gang med. Prøv igen om lidt.</p><p>Fejlkode: <code>{id}</code></p>"
    "</body></html>"
)


def server_error(request):
    if is_api_request(request):
        return json_error(default_detail(500, _correlation_id(request)), 500)
    try:
        return _error(request, 500, "errors/500.html")
    except Exception:
        # The page itself failed (e.g. the database is down): answer plainly, still in Danish.
        logger.exception("The 500 page could not be rendered")
        correlation_id = escape(getattr(request, "correlation_id", current_correlation_id()))
        return HttpResponseServerError(FALLBACK_500.format(id=correlation_id))


def _own_export_job(request, pk) -> ExportJob:
    """The requester's own export job; anyone else's (even a colleague's) is a 404."""
    job = get_object_or_404(
        ExportJob.objects.in_scope(request.scope).defer("content"),
        pk=pk,
        requested_by=request.user,
    )
    if not getattr(request.scope, job.permission, False):
        raise PermissionDenied
    return job


def _expired(request, job: ExportJob):
    if job.status != ExportStatus.EXPIRED:
        export_job_expire(job=job)
    return render(request, "core/export_expired.html", {"job": job}, status=410)


@login_required
def export_job(request, pk):
    """Progress of a background export ("x af y rækker", polled by htmx), then the link."""
    if getattr(request, "scope", None) is None:
        raise PermissionDenied
    job = _own_export_job(request, pk)
    if job.is_expired():
        return _expired(request, job)
    if request.htmx:
        if job.is_pending:
            return render(request, "core/export_job.html#progress", {"job": job})
        response = HttpResponse(status=204)
        response["HX-Refresh"] = "true"
        return response
    return render(request, "core/export_job.html", {"job": job})


@login_required
def export_download(request, pk):
    """The finished file, for the requester only and until the link expires; each download
    is logged."""
    if getattr(request, "scope", None) is None:
        raise PermissionDenied
    job = _own_export_job(request, pk)
    if job.is_expired():
        return _expired(request, job)
    if job.status != ExportStatus.READY:
        return redirect(job)
    return export_job_download(job=job, actor=request.user)
