"""Read-only API for BI tools: indicators with measurements, and every KPI by name.

Figures come from the same stored facts and the same KPI definitions as the dashboards
(`apps.kpis.registry` through `FactTable.kpi`), with the same default year and the same
small-number rule, so the API and the pages show the same numbers.
"""

import re

from django.db.models import F
from django.http import JsonResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.alerts.selectors import absence_warning_figure
from apps.api.auth import api_error, api_view, read_only
from apps.api.schema import (
    DEPARTMENT_RANGE,
    MUNICIPALITY_RANGE,
    YEAR_RANGE,
    openapi_schema,
)
from apps.core.scoping import all_municipalities
from apps.kpis.disclosure import disclose
from apps.kpis.facts import FactTable
from apps.kpis.models import Indicator
from apps.kpis.registry import REGISTRY, api_metrics
from apps.kpis.selectors import measurement_result
from apps.organisation.models import Department, Municipality
from apps.trainees.models import IntakeQuota, Programme


def _json(data, status=200) -> JsonResponse:
    return JsonResponse(data, status=status, json_dumps_params={"ensure_ascii": False})


class BadRequest(Exception):
    def __init__(self, message, status=400):
        super().__init__(message)
        self.message, self.status = message, status


@read_only
def index(request):
    return _json(
        {
            "openapi": reverse("api:openapi"),
            "indicators": reverse("api:indicator_list"),
            "goals": reverse("api:goal_list"),
            "quotas": reverse("api:quota_list"),
            "metrics": {m: reverse("api:metric", args=[m]) for m in api_metrics()},
            "absence_warnings": reverse("api:absence_warnings"),
        }
    )


@read_only
def openapi(request):
    programmes = list(Programme.objects.order_by("code").values_list("code", flat=True))
    return _json(
        openapi_schema(request.build_absolute_uri(reverse("api:index")), programmes=programmes)
    )


def _indicator_json(indicator: Indicator, scope) -> dict:
    measurements = []
    for m in sorted(indicator.measurements.all(), key=lambda m: m.period):
        result = measurement_result(indicator, m, scope)
        measurements.append(
            {
                "period": m.period,
                "value": None if result.value is None else round(result.value, 2),
                "numerator": None if result.suppressed else _num(result.numerator),
                "denominator": None if result.suppressed else _num(result.denominator),
                "suppressed": result.suppressed,
                "rounded": result.rounded,
                "source": m.source,
                "recorded_at": m.recorded_at.isoformat(),
                "note": m.note,
            }
        )
    return {
        "id": indicator.pk,
        "name": indicator.name,
        "metric": indicator.metric or None,
        "unit": indicator.unit,
        "direction": indicator.direction,
        "department": indicator.department_id,
        "programme": indicator.programme.code if indicator.programme_id else None,
        # "goal" is the first linked goal, kept for clients written before an indicator could
        # serve several goals; "goals" lists them all.
        "goal": min(goal_ids) if (goal_ids := [g.pk for g in indicator.goals.all()]) else None,
        "goals": sorted(goal_ids),
        "focus_area": indicator.focus_area_id,
        "baseline": {"value": _num(indicator.baseline_value), "period": indicator.baseline_period},
        "target": {
            "value": _num(indicator.target_value),
            "period": indicator.target_period,
            "kind": indicator.target_kind,
        },
        "measurements": measurements,
    }


def _num(value):
    return None if value is None else float(value)


def _indicators(scope):
    qs = Indicator.objects.visible_to(scope).select_related("programme")
    return qs.prefetch_related("measurements", "goals").order_by("order", "name")


@api_view
def indicator_list(request):
    scope = request.scope
    return _json({"results": [_indicator_json(i, scope) for i in _indicators(scope)]})


@api_view
def indicator_detail(request, pk: int):
    indicator = _indicators(request.scope).filter(pk=pk).first()
    if indicator is None:
        return api_error(_("Nøgletallet findes ikke."), 404)
    return _json(_indicator_json(indicator, request.scope))


_DIGITS = re.compile(r"[0-9]+")
_PARAMETERS = ("municipality", "department", "programme", "year", "cohorts")


def _single(params, name: str) -> str | None:
    """The one value of a query parameter, None when absent; given twice is an error."""
    values = params.getlist(name)
    if len(values) > 1:
        raise BadRequest(_("%(name)s må kun angives én gang.") % {"name": name})
    return values[0] if values else None


def _integer(value: str, bounds: tuple[int, int], message: str) -> int:
    """A whole number in `bounds`, written with ASCII digits only, as the schema says."""
    # The length check first: Python refuses to convert strings of thousands of digits.
    if len(value) > len(str(bounds[1])) or not _DIGITS.fullmatch(value):
        raise BadRequest(message)
    if not bounds[0] <= int(value) <= bounds[1]:
        raise BadRequest(message)
    return int(value)


def _parse_municipality(code: str | None, scope) -> Municipality:
    """The municipality a `municipality` parameter names (a kommunenummer); without one the
    user's own. Another municipality than the user's only for roles that read other
    municipalities (KKR analysts); for everyone else it "does not exist" (404)."""
    if code is None:
        municipality = Municipality.objects.filter(pk=scope.municipality_id).first()
        if municipality is None:
            raise BadRequest(_("Angiv municipality."))
        return municipality
    code = _integer(code, MUNICIPALITY_RANGE, _("municipality skal være et kommunenummer, fx 250."))
    with all_municipalities():
        municipality = Municipality.objects.filter(code=code).first()
    if municipality is None or (
        not scope.reads_other_municipalities and municipality.pk != scope.municipality_id
    ):
        raise BadRequest(_("Kommunen findes ikke."), 404)
    return municipality


def _place(params: dict, scope):
    """The municipality and department(s) asked about, in scope: a leader without
    `department` gets their own departments (a set); outside scope is a Danish 404."""
    municipality = _parse_municipality(params.get("municipality"), scope)
    department = params["department"]
    if department is not None:
        department = _integer(
            department, DEPARTMENT_RANGE, _("department skal være et fagområdes id.")
        )
        departments = Department.objects.visible_to(scope)
        if not departments.filter(pk=department, municipality=municipality).exists():
            raise BadRequest(_("Fagområdet findes ikke."), 404)
    elif scope.department_ids is not None:
        department = frozenset(scope.department_ids)
    return municipality, department


def _parse(request, scope):
    """Municipality, department, programme and year from the query string, in scope.

    Accepts exactly what the OpenAPI schema describes (apps/api/schema.py), so a request the
    schema allows is never refused as malformed and every other value is a Danish 400."""
    params = {name: _single(request.GET, name) for name in _PARAMETERS}
    municipality, department = _place(params, scope)
    programme = params["programme"]
    if programme is not None and not Programme.objects.filter(code=programme).exists():
        raise BadRequest(_("Ukendt uddannelse: %(code)s") % {"code": programme})
    year = params["year"]
    if year is not None:
        year = _integer(
            year,
            YEAR_RANGE,
            _("year skal være et årstal fra %(first)s til %(last)s, fx 2023.")
            % {"first": YEAR_RANGE[0], "last": YEAR_RANGE[1]},
        )
    cohorts = params["cohorts"]
    if cohorts not in (None, "finished"):
        raise BadRequest(_('cohorts kan kun være "finished".'))
    return municipality, department, programme, year, cohorts == "finished"


@api_view
def quota_list(request):
    """GET /api/v1/quotas/?municipality=&year=: the quotas (planning figures, no persons)."""
    try:
        municipality, _department, _programme, year, _finished = _parse(request, request.scope)
    except BadRequest as exc:
        return api_error(exc.message, exc.status)
    with all_municipalities():
        quotas = IntakeQuota.objects.filter(municipality=municipality)
        if year is not None:
            quotas = quotas.filter(year=year)
        order = ("year", "programme__code", F("department_id").asc(nulls_first=True))
        rows = quotas.order_by(*order).values_list(
            "programme__code", "department_id", "year", "minimum", "maximum"
        )
        results = [
            dict(zip(("programme", "department", "year", "minimum", "maximum"), r, strict=True))
            for r in rows
        ]
    return _json({"results": results})


@api_view
def metric(request, name: str):
    """GET /api/v1/metrics/<metric>/?municipality=&department=&programme=&year=&cohorts="""
    if name not in api_metrics():
        return api_error(_("Ukendt nøgletal: %(name)s") % {"name": name}, 404)
    scope = request.scope
    try:
        municipality, department, programme, year, finished = _parse(request, scope)
    except BadRequest as exc:
        return api_error(exc.message, exc.status)
    with all_municipalities():
        table = FactTable.load(
            municipality_ids=[municipality.pk],
            department_id=department if isinstance(department, int) else None,
        )
    definition = REGISTRY[name]
    year = definition.period_for(table, year, timezone.localdate())
    cohorts = None
    if finished and definition.pools_cohorts:
        cohorts = table.finished_cohorts(year, programme=programme, department=department)
    result = table.kpi(
        name,
        scope=scope,
        year=year,
        programme=programme,
        department=department,
        cohorts=cohorts,
    )
    data = result.as_dict()
    data.update(
        {
            "municipality": municipality.code,
            "department": department if isinstance(department, int) else None,
            "programme": programme,
            "year": year,
        }
    )
    if cohorts is not None:
        data["cohorts"] = [{"programme": c.programme, "year": c.year} for c in cohorts]
    return _json(data)


@api_view
def absence_warnings(request):
    """GET /api/v1/metrics/absence_warnings/?municipality=&department=

    Trainees flagged for high sick absence (numerator) of the active trainees with absence
    rows in the window (denominator), from the stored flags (`apps.alerts`), through the same
    small-number rule as every metric."""
    scope = request.scope
    try:
        params = {name: _single(request.GET, name) for name in ("municipality", "department")}
        municipality, department = _place(params, scope)
    except BadRequest as exc:
        return api_error(exc.message, exc.status)
    with all_municipalities():
        figure = absence_warning_figure(municipality_id=municipality.pk, department=department)
    shown = disclose(figure.result, scope, municipality_id=municipality.pk, department=department)
    data = shown.as_dict()
    window = figure.window
    data.update(
        {
            "municipality": municipality.code,
            "department": department if isinstance(department, int) else None,
            "threshold": float(figure.threshold),
            "first_month": window[0].isoformat() if window else None,
            "last_month": window[1].isoformat() if window else None,
        }
    )
    return _json(data)
