"""Quotas from a spreadsheet, on the quota page: upload, preview (every row, or every row's
problem in Danish), confirm. Coordinators and HR (`can_manage_quotas`). Nothing is written
before the confirmation, and then all rows or none."""

from __future__ import annotations

import tempfile
from pathlib import Path

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect

from apps.accounts.decorators import scope_required
from apps.imports.forms import SizeLimitUploadHandler
from apps.imports.quota_import import (
    parse_quotas,
    quota_import_apply,
    rows_from_session,
    rows_to_session,
)
from apps.imports.readers import ImportRefused, read_file, size_message

SESSION_KEY = "quota_import_rows"


@csrf_exempt
@scope_required(allow="can_manage_quotas")
def quota_upload(request):
    request.upload_handlers.insert(0, SizeLimitUploadHandler(request))
    return _quota_upload(request)


@csrf_protect
def _quota_upload(request):
    scope = request.scope
    context: dict = {"rows": None, "errors": [], "refused": ""}
    if request.method == "POST" and request.POST.get("confirm"):
        data = request.session.get(SESSION_KEY)
        if not data or data.get("municipality_id") != scope.municipality_id:
            context["refused"] = _("Upload regnearket igen: forhåndsvisningen er udløbet.")
        else:
            counts = quota_import_apply(
                municipality_id=scope.municipality_id,
                actor=request.user,
                rows=rows_from_session(data["rows"]),
            )
            del request.session[SESSION_KEY]
            messages.success(
                request,
                _(
                    "Dimensioneringerne er importeret: %(new)s nye, %(changed)s ændrede, "
                    "%(unchanged)s uændrede."
                )
                % counts,
            )
            return redirect(reverse("quotas:quota_list"))
    elif request.method == "POST":
        upload = request.FILES.get("file")
        if getattr(request, "import_upload_too_large", False):
            context["refused"] = size_message()
        elif upload is None:
            context["refused"] = _("Vælg et regneark (xlsx eller csv).")
        else:
            context.update(_preview(request, upload))
    status = 400 if context["refused"] or context["errors"] else 200
    return render(request, "imports/quota_import.html", context, status=status)


def _preview(request, upload) -> dict:
    request.session.pop(SESSION_KEY, None)
    suffix = Path(upload.name).suffix.lower()
    with tempfile.NamedTemporaryFile(suffix=suffix) as handle:
        for chunk in upload.chunks():
            handle.write(chunk)
        handle.flush()
        try:
            sheet = read_file(handle.name, upload.name)
            rows, errors = parse_quotas(sheet, request.scope.municipality_id)
        except ImportRefused as exc:
            return {"refused": exc.message}
    if not errors:
        request.session[SESSION_KEY] = {
            "municipality_id": request.scope.municipality_id,
            "rows": rows_to_session(rows),
        }
    return {"rows": rows, "errors": errors, "file_name": upload.name}
