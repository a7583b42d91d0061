"""Data-protection pages: find a trainee or supervisor, list who looked up their data, and
export everything about them (indsigt)."""

from collections.abc import Callable
from dataclasses import dataclass

from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy

from apps.accounts.decorators import scope_required
from apps.core.audit import audit_record
from apps.core.exports import XLSX_TYPE
from apps.core.roles import Role
from apps.privacy import selectors
from apps.privacy.exports import FORMATS, access_json, access_xlsx
from apps.supervisors.models import Supervisor
from apps.trainees.models import Trainee


@dataclass(frozen=True)
class PersonKind:
    """One kind of person the data-protection pages handle, named by its URL segment."""

    model: type
    get: Callable
    lookups: Callable
    access_data: Callable
    label: str
    id_label: str


KINDS = {
    "elev": PersonKind(
        Trainee,
        selectors.trainee_for_privacy,
        lambda person: selectors.trainee_lookups(trainee=person),
        lambda person, scope: selectors.trainee_access_data(trainee=person, scope=scope),
        gettext_lazy("Elev"),
        gettext_lazy("elev-id"),
    ),
    "vejleder": PersonKind(
        Supervisor,
        selectors.supervisor_for_privacy,
        lambda person: selectors.supervisor_lookups(supervisor=person),
        lambda person, scope: selectors.supervisor_access_data(supervisor=person, scope=scope),
        gettext_lazy("Vejleder"),
        gettext_lazy("medarbejder-id"),
    ),
}


def _person_or_404(request, kind: str, pk: int):
    try:
        return KINDS[kind].get(scope=request.scope, pk=pk)
    except KINDS[kind].model.DoesNotExist as exc:
        raise Http404 from exc


@scope_required(allow="can_report_lookups")
def privacy_index(request):
    kind = request.GET.get("type", "elev")
    kind = kind if kind in KINDS else "elev"
    hr_id = request.GET.get("id", "").strip()[:40]
    matches = None
    if hr_id:
        matches = list(
            KINDS[kind].model.objects.in_scope(request.scope).filter(hr_id__iexact=hr_id)
        )
        audit_record(
            actor=request.user,
            action="search",
            context={"list": f"privacy.{kind}", "criteria": {"id": hr_id}},
        )
        if len(matches) == 1:
            return redirect("privacy:person_lookups", kind=kind, pk=matches[0].pk)
    context = {"hr_id": hr_id, "kind": kind, "matches": matches}
    return render(request, "privacy/index.html", context)


@scope_required(allow="can_report_lookups")
def person_lookups(request, kind: str, pk: int):
    person = _person_or_404(request, kind, pk)
    entries = list(KINDS[kind].lookups(person))
    for entry in entries:
        entry.role_label = Role(entry.role).label if entry.role in Role.values else entry.role
    audit_record(actor=request.user, action="view", obj=person, context={"purpose": "opslagsliste"})
    export_url = reverse("privacy:person_access_export", kwargs={"kind": kind, "pk": pk})
    context = {
        "person": person,
        "person_name": person.name if kind == "vejleder" else person.full_name,
        "id_label": KINDS[kind].id_label,
        "kind_label": KINDS[kind].label,
        "entries": entries,
        "export_url": export_url,
    }
    return render(request, "privacy/person_lookups.html", context)


@scope_required(allow="can_export_person")
def person_access_export(request, kind: str, pk: int):
    fmt = request.GET.get("format", "json")
    if fmt not in FORMATS:
        fmt = "json"
    person = _person_or_404(request, kind, pk)
    audit_record(
        actor=request.user,
        action="export",
        obj=person,
        context={"purpose": "indsigt", "format": fmt},
    )
    data = KINDS[kind].access_data(person, request.scope)
    if fmt == "xlsx":
        response = HttpResponse(access_xlsx(data), content_type=XLSX_TYPE)
    else:
        response = HttpResponse(access_json(data), content_type="application/json")
    filename = f"indsigt-{kind}-{person.pk}-{timezone.localdate():%Y-%m-%d}.{fmt}"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
