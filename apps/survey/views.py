"""Pages of the placement survey.

`respond` and `thanks` are public: a trainee answers from a phone without a login and without
JavaScript, through the personal link only. The other pages need a login like every page.
"""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from apps.accounts.decorators import scope_required
from apps.accounts.two_factor import qr_data_uri
from apps.kpis.registry import SURVEY_MIN_ANSWERS
from apps.organisation.models import Department, Workplace
from apps.survey.choices import LinkState
from apps.survey.forms import LinkSheetForm, ResultsFilterForm, SurveyForm
from apps.survey.selectors import DEFAULT_DIMENSION, survey_results, survey_years
from apps.survey.services import (
    LinkRefused,
    answer_submit,
    eligible_placements,
    link_check,
    links_issue,
    survey_url,
)
from apps.trainees.models import Placement

SHEET_LIMIT = 300  # links per printed sheet

REFUSALS = {
    LinkState.FORGED: (
        404,
        _("Linket virker ikke"),
        _(
            "Vi kan ikke finde et spørgeskema med dette link. Tjek, at du har fået hele "
            "linket med, eller spørg din uddannelseskonsulent om et nyt."
        ),
    ),
    LinkState.USED: (
        410,
        _("Du har allerede svaret"),
        _(
            "Dette link er allerede brugt. Hvert link kan kun bruges én gang, så dit svar "
            "tæller kun med én gang. Tak for din besvarelse."
        ),
    ),
    LinkState.EXPIRED: (
        410,
        _("Linket er udløbet"),
        _(
            "Linket kunne bruges i 60 dage efter, at du fik det, og er nu udløbet. Kontakt "
            "din uddannelseskonsulent, hvis du stadig vil svare."
        ),
    ),
}


def _refused(request, state: str):
    status, title, text = REFUSALS[state]
    return render(request, "survey/refused.html", {"title": title, "text": text}, status=status)


@require_http_methods(["GET", "POST"])
def respond(request, token: str):
    """The survey behind a personal link; a forged, used or expired link stores nothing."""
    state = link_check(token)
    if state != LinkState.VALID:
        return _refused(request, state)
    form = SurveyForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            answer_submit(raw_token=token, **form.cleaned_data)
        except LinkRefused as refused:
            return _refused(request, refused.state)
        return redirect("survey:thanks")
    status = 400 if request.method == "POST" else 200
    return render(request, "survey/respond.html", {"form": form}, status=status)


def thanks(request):
    return render(request, "survey/thanks.html")


@scope_required(allow="can_see_departments")
def results(request):
    """Results per workplace, department or programme for one year of placement end; only
    groups of at least five answers, free text for coordinators."""
    scope = request.scope
    years = survey_years(scope)
    data = {"year": str(years[0]) if years else "", "by": DEFAULT_DIMENSION}
    data.update({k: v for k, v in request.GET.items() if k in data and v})
    form = ResultsFilterForm(data, years=years)
    year, dimension = None, DEFAULT_DIMENSION
    if form.is_valid():
        year, dimension = form.cleaned_data["year"], form.cleaned_data["by"]
    elif "by" not in form.errors:
        dimension = form.data["by"]
    result = survey_results(
        scope,
        year=year,
        dimension=dimension,
        with_comments=scope.can_read_survey_comments,
    )
    return render(
        request,
        "survey/results.html",
        {
            "form": form,
            "result": result,
            "years": years,
            "min_answers": SURVEY_MIN_ANSWERS,
            "show_comments": scope.can_read_survey_comments,
        },
    )


@scope_required(allow="can_issue_survey_links")
@require_http_methods(["GET", "POST"])
def link_sheet(request):
    """A printable sheet of personal links with QR codes, grouped by workplace, for the
    placements that ended in a period. Printing issues fresh links (an unused older link of
    the same placement stops working)."""
    scope = request.scope
    workplaces = Workplace.objects.in_scope(scope).filter(
        department__in=Department.objects.visible_to(scope)
    )
    data = request.POST if request.method == "POST" else (request.GET or None)
    form = LinkSheetForm(data, workplaces=workplaces)
    today = timezone.localdate()
    placements = Placement.objects.none()
    if form.is_bound and form.is_valid():
        placements = eligible_placements(
            Placement.objects.in_scope(scope),
            today=today,
            ended_from=form.cleaned_data["ended_from"],
            ended_to=form.cleaned_data["ended_to"],
        )
        if form.cleaned_data["workplace"]:
            placements = placements.filter(workplace=form.cleaned_data["workplace"])
    if request.method == "POST" and form.is_valid():
        chosen = list(
            placements.select_related("trainee", "workplace").order_by(
                "workplace__name", "trainee__last_name", "trainee__first_name", "end_date"
            )[: SHEET_LIMIT + 1]
        )
        if len(chosen) > SHEET_LIMIT:
            messages.warning(
                request,
                gettext("Arket viser de første %(limit)s praktikperioder. Vælg en kortere periode.")
                % {"limit": SHEET_LIMIT},
            )
            chosen = chosen[:SHEET_LIMIT]
        issued = links_issue(placements=chosen, actor=request.user)
        sheets: dict = {}
        for placement, token in issued:
            url = survey_url(token)
            sheets.setdefault(placement.workplace, []).append(
                {"placement": placement, "url": url, "qr": qr_data_uri(url)}
            )
        return render(request, "survey/link_sheet_print.html", {"sheets": sheets})
    count = placements.count() if form.is_bound and form.is_valid() else None
    return render(request, "survey/link_sheet.html", {"form": form, "count": count})
