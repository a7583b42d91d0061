"""Data-protection pages: find a trainee, list who looked up their data, export it all."""

from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from apps.accounts.decorators import scope_required
from apps.core.audit import audit_record
from apps.core.roles import Role
from apps.privacy.exports import FORMATS, access_json, access_xlsx
from apps.privacy.selectors import trainee_access_data, trainee_for_privacy, trainee_lookups
from apps.supervisors.exports import XLSX_TYPE
from apps.trainees.models import Trainee


def _trainee_or_404(request, pk: int) -> Trainee:
    try:
        return trainee_for_privacy(scope=request.scope, pk=pk)
    except Trainee.DoesNotExist as exc:
        raise Http404 from exc


@scope_required(allow="can_report_lookups")
def privacy_index(request):
    hr_id = request.GET.get("elev_id", "").strip()[:40]
    matches = None
    if hr_id:
        matches = list(Trainee.objects.in_scope(request.scope).filter(hr_id__iexact=hr_id))
        audit_record(
            actor=request.user,
            action="search",
            context={"list": "privacy.trainee", "criteria": {"elev_id": hr_id}},
        )
        if len(matches) == 1:
            return redirect("privacy:trainee_lookups", pk=matches[0].pk)
    return render(request, "privacy/index.html", {"hr_id": hr_id, "matches": matches})


@scope_required(allow="can_report_lookups")
def trainee_lookups_view(request, pk: int):
    trainee = _trainee_or_404(request, pk)
    entries = list(trainee_lookups(trainee=trainee))
    for entry in entries:
        entry.role_label = Role(entry.role).label if entry.role in Role.values else entry.role
    audit_record(
        actor=request.user, action="view", obj=trainee, context={"purpose": "opslagsliste"}
    )
    return render(request, "privacy/trainee_lookups.html", {"trainee": trainee, "entries": entries})


@scope_required(allow="can_export_person")
def trainee_access_export(request, pk: int):
    fmt = request.GET.get("format", "json")
    if fmt not in FORMATS:
        fmt = "json"
    trainee = _trainee_or_404(request, pk)
    audit_record(
        actor=request.user,
        action="export",
        obj=trainee,
        context={"purpose": "indsigt", "format": fmt},
    )
    data = trainee_access_data(trainee=trainee)
    if fmt == "xlsx":
        response = HttpResponse(access_xlsx(data), content_type=XLSX_TYPE)
    else:
        response = HttpResponse(access_json(data), content_type="application/json")
    filename = f"indsigt-elev-{trainee.pk}-{timezone.localdate():%Y-%m-%d}.{fmt}"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
