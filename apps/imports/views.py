"""HR's import pages: upload + history, progress + preview, confirm and undo.

HR and admins only (`can_import`); everyone else gets 403, and a batch of another
municipality is a 404 because every lookup starts from `ImportBatch.objects.in_scope`.
"""

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_http_methods, require_POST

from apps.accounts.decorators import scope_required
from apps.core.audit import audit_record
from apps.imports.analysis import LABEL_FIELDS
from apps.imports.check_runs import check_retry
from apps.imports.errors import ImportRefused
from apps.imports.forms import SizeLimitUploadHandler, UploadForm
from apps.imports.handlers import HANDLERS
from apps.imports.models import BatchStatus, ImportBatch, RowAction
from apps.imports.resources import RejectedRowResource
from apps.imports.services import (
    import_batch_commit,
    import_batch_undo,
    import_batch_upload,
    undo_blocker,
)
from apps.organisation.models import Municipality

FILTERS = [
    ("problemer", gettext_lazy("Problemer")),
    ("nye", gettext_lazy("Nye")),
    ("aendrede", gettext_lazy("Ændrede")),
    ("uaendrede", gettext_lazy("Uændrede")),
    ("afviste", gettext_lazy("Afviste")),
    ("alle", gettext_lazy("Alle")),
]
FILTER_Q = {
    "problemer": Q(action=RowAction.REJECTED) | ~Q(warnings=[]),
    "nye": Q(action=RowAction.NEW),
    "aendrede": Q(action=RowAction.CHANGED),
    "uaendrede": Q(action=RowAction.UNCHANGED),
    "afviste": Q(action=RowAction.REJECTED),
    "alle": Q(),
}


@csrf_exempt
@scope_required(allow="can_import")
def batch_list(request):
    """Upload form and the municipality's import history (HR's start page)."""
    # The size guard must be in place before the body is parsed, hence csrf_exempt here
    # and csrf_protect on the inner view (Django's documented pattern).
    request.upload_handlers.insert(0, SizeLimitUploadHandler(request))
    return _batch_list(request)


@csrf_protect
def _batch_list(request):
    scope = request.scope
    if request.method == "POST":
        form = UploadForm(
            request.POST,
            request.FILES,
            too_large=getattr(request, "import_upload_too_large", False),
        )
        if form.is_valid():
            municipality = get_object_or_404(Municipality, pk=scope.municipality_id)
            batch = import_batch_upload(
                actor=request.user,
                municipality=municipality,
                uploaded_file=form.cleaned_data["file"],
                requested_kind=form.cleaned_data["kind"],
            )
            return redirect(batch)
    else:
        form = UploadForm()
    history = ImportBatch.objects.in_scope(scope).select_related("uploaded_by", "applied_by")
    page = Paginator(history, 25).get_page(request.GET.get("side"))
    status = 400 if form.is_bound else 200
    return render(request, "imports/batch_list.html", {"form": form, "page": page}, status=status)


@scope_required(allow="can_import")
def batch_detail(request, pk):
    """Progress while the file is checked (and whether an interrupted check is being run
    again), then the preview: counts, columns, rows.
    With `?hent=afviste` the rejected rows are downloaded as csv."""
    batch = get_object_or_404(
        ImportBatch.objects.in_scope(request.scope).select_related("uploaded_by", "applied_by"),
        pk=pk,
    )
    if request.GET.get("hent") == "afviste":
        return _rejected_csv(batch, actor=request.user)
    retry = check_retry(batch) if batch.is_pending else None
    if request.htmx:
        if batch.is_pending:
            return render(
                request, "imports/batch_detail.html#progress", {"batch": batch, "retry": retry}
            )
        response = HttpResponse(status=204)
        response["HX-Refresh"] = "true"
        return response
    context = {"batch": batch, "retry": retry}
    if not batch.is_pending and batch.status != BatchStatus.REFUSED:
        chosen = request.GET.get("vis")
        if chosen not in FILTER_Q:
            chosen = "problemer" if batch.rejected_count or batch.warning_count else "alle"
        rows = batch.rows.filter(FILTER_Q[chosen]).order_by("row_number")
        q = " ".join(request.GET.get("q", "").split())[:100]
        if q:
            # Part of an id or a name, any case: "h21" finds H2100 … H2199.
            rows = rows.filter(Q(key__icontains=q) | Q(label__icontains=q))
        page = Paginator(rows, 50).get_page(request.GET.get("side"))
        labels = _field_labels(batch)
        for row in page.object_list:
            # A new row's id and name are in its label already.
            hidden = LABEL_FIELDS if row.action == RowAction.NEW else ()
            row.change_list = [
                (labels.get(name, name), old, new)
                for name, (old, new) in row.changes.items()
                if name not in hidden
            ]
        # The preview shows people's names and ids: a look-up, logged like a trainee's page.
        audit_record(
            actor=request.user,
            action="view",
            obj=batch,
            context={
                "page": "preview",
                "filter": chosen,
                **({"q": q} if q else {}),
                "side": page.number,
            },
        )
        context.update(
            filters=FILTERS,
            chosen=chosen,
            q=q,
            page=page,
            rejected=batch.rows.filter(action=RowAction.REJECTED).order_by("row_number")[:200],
            undo_blocker=undo_blocker(batch) if batch.status == BatchStatus.APPLIED else None,
        )
    return render(request, "imports/batch_detail.html", context)


def _field_labels(batch: ImportBatch) -> dict[str, str]:
    model = HANDLERS[batch.kind].model if batch.kind else None
    if model is None:
        return {}
    return {
        field.attname: str(field.verbose_name).capitalize() for field in model._meta.concrete_fields
    }


@require_POST
@scope_required(allow="can_import")
def batch_confirm(request, pk):
    """Write every accepted row of the batch, or nothing."""
    batch = get_object_or_404(ImportBatch.objects.in_scope(request.scope), pk=pk)
    try:
        batch = import_batch_commit(batch=batch, actor=request.user)
    except ImportRefused as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            _("Importen er gennemført: %(new)s nye og %(changed)s ændrede rækker.")
            % {"new": batch.created_count, "changed": batch.updated_count},
        )
    return redirect(batch)


@require_http_methods(["GET", "HEAD", "POST"])
@scope_required(allow="can_import")
def batch_undo(request, pk):
    """Undo the last import of a kind while nothing has changed its rows since.

    GET shows a confirmation page saying what undoing will do; only a POST from that page
    (it carries `confirmed`) undoes the import. A POST without it gets the page instead."""
    batch = get_object_or_404(ImportBatch.objects.in_scope(request.scope), pk=pk)
    if request.method != "POST" or request.POST.get("confirmed") != "1":
        blocker = undo_blocker(batch)
        return render(request, "imports/batch_undo.html", {"batch": batch, "blocker": blocker})
    try:
        import_batch_undo(batch=batch, actor=request.user)
    except ImportRefused as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Importen er fortrudt."))
    return redirect(batch)


def _rejected_csv(batch: ImportBatch, *, actor) -> HttpResponse:
    """The batch's rejected rows as a csv for Danish Excel (semicolons, UTF-8 with BOM);
    the download is logged as an export."""
    rows = batch.rows.filter(action=RowAction.REJECTED).order_by("row_number")
    audit_record(
        actor=actor,
        action="export",
        obj=batch,
        context={
            "list": "imports.importrow",
            "criteria": {"hent": "afviste"},
            "format": "csv",
            "rows": batch.rejected_count,
        },
    )
    dataset = RejectedRowResource().export(RejectedRowResource.cells(rows))
    content = "\ufeff" + dataset.export("csv", delimiter=";")
    response = HttpResponse(content, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="afviste-raekker-{batch.pk}.csv"'
    return response
