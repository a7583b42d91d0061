"""The placement planning page: choose a period, propose a plan, move trainees, confirm.

Every view needs `can_plan_placements` (403 otherwise); drafts are looked up in the scope's
municipality (another municipality's draft is a 404). Writes go through
`apps.placements.drafts`."""

from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from apps.accounts.decorators import scope_required
from apps.core.formatting import format_date
from apps.placements import selectors
from apps.placements.drafts import draft_confirm, draft_move, draft_propose
from apps.placements.models import DraftStatus, PlacementDraft
from apps.placements.plan_forms import PeriodForm, optional_id


def _municipality(request) -> int:
    if request.scope.municipality_id is None:
        raise Http404
    return request.scope.municipality_id


def _page_url(start, end, anchor: str = "") -> str:
    query = urlencode({"fra": format_date(start), "til": format_date(end)})
    return f"{reverse('placements:plan')}?{query}{anchor}"


def _messages(error: ValidationError) -> str:
    return " ".join(error.messages)


@scope_required(allow="can_plan_placements")
def plan_page(request):
    municipality_id = _municipality(request)
    if "fra" in request.GET or "til" in request.GET:
        form = PeriodForm(request.GET)
    else:
        period = selectors.planning_period(municipality_id, timezone.localdate())
        form = PeriodForm({"fra": period[0], "til": period[1]} if period else None)
    page = None
    if form.is_bound and form.is_valid():
        page = selectors.draft_page(
            scope=request.scope, start=form.cleaned_data["fra"], end=form.cleaned_data["til"]
        )
    return render(request, "placements/plan.html", {"form": form, "page": page})


@require_POST
@scope_required(allow="can_plan_placements")
def propose(request):
    municipality_id = _municipality(request)
    form = PeriodForm(request.POST)
    if not form.is_valid():
        return render(request, "placements/plan.html", {"form": form, "page": None}, status=400)
    start, end = form.cleaned_data["fra"], form.cleaned_data["til"]
    try:
        draft = draft_propose(
            municipality_id=municipality_id, start=start, end=end, actor=request.user
        )
    except ValidationError as error:
        messages.error(request, _messages(error))
    else:
        assigned = draft.rows.exclude(workplace=None).count()
        messages.success(
            request,
            _("Planen er foreslået: %(assigned)s af %(total)s elever er placeret.")
            % {"assigned": assigned, "total": draft.rows.count()},
        )
    return redirect(_page_url(start, end))


@require_POST
@scope_required(allow="can_plan_placements")
def move(request, pk: int, trainee_id: int):
    draft = get_object_or_404(PlacementDraft.objects.in_scope(request.scope), pk=pk)
    error = None
    try:
        draft_move(
            draft=draft,
            trainee_id=trainee_id,
            workplace_id=optional_id(request.POST.get("workplace")),
            supervisor_id=optional_id(request.POST.get("supervisor")),
            actor=request.user,
            expected_version=optional_id(request.POST.get("version")) or 0,
        )
    except ValidationError as exc:
        error = _messages(exc)
    if not request.headers.get("HX-Request"):
        if error:
            messages.error(request, error)
        else:
            messages.success(request, _("Eleven er flyttet."))
        return redirect(_page_url(draft.start_date, draft.end_date, f"#elev-{trainee_id}"))
    page = selectors.draft_page(scope=request.scope, start=draft.start_date, end=draft.end_date)
    row = next((r for r in page.rows if r.trainee_id == trainee_id), None)
    if row is None:
        raise Http404
    return render(
        request,
        "placements/plan.html#moved",
        {"page": page, "row": row, "row_error": error, "moved": not error},
    )


@scope_required(allow="can_plan_placements")
def confirm(request, pk: int):
    draft = get_object_or_404(
        PlacementDraft.objects.in_scope(request.scope).filter(status=DraftStatus.DRAFT), pk=pk
    )
    if request.method == "POST":
        try:
            created = draft_confirm(draft=draft, actor=request.user)
        except ValidationError as error:
            messages.error(request, _messages(error))
        else:
            messages.success(
                request,
                _("Planen er bekræftet: %(count)s praktikperioder er oprettet.")
                % {"count": len(created)},
            )
        return redirect(_page_url(draft.start_date, draft.end_date))
    page = selectors.draft_page(scope=request.scope, start=draft.start_date, end=draft.end_date)
    return render(request, "placements/plan_confirm.html", {"page": page, "draft": draft})
