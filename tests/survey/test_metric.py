"""`placement_welcomed_share`: the two "Ja" answers ÷ all answers to the first question, per
year of placement end, from the one registry definition; fewer than 5 answers show nothing,
whoever asks."""

import datetime

import pytest
from django.urls import reverse

from apps.api.models import ApiToken
from apps.core.roles import Role
from apps.kpis.choices import Metric
from apps.kpis.facts import FactTable
from apps.kpis.models import Indicator, Measurement
from apps.kpis.registry import REGISTRY, Period
from apps.kpis.services import measurements_recompute, system_scope
from apps.survey.services import links_issue
from tests.factories import WorkplaceFactory, programme
from tests.survey.conftest import (
    NO_AT_ALL,
    NO_REALLY,
    YES_HIGH,
    YES_SOME,
    answers,
    finished_placement,
)

pytestmark = pytest.mark.django_db
AS_OF = datetime.date(2026, 3, 1)


def kpi(municipality, year, **filters):
    table = FactTable.load(municipality_ids=[municipality.pk])
    return table.kpi(
        Metric.PLACEMENT_WELCOMED_SHARE,
        scope=system_scope(municipality.pk),
        year=year,
        **filters,
    )


def test_the_metric_is_one_registry_definition_by_year_of_placement_end():
    definition = REGISTRY[Metric.PLACEMENT_WELCOMED_SHARE]
    assert definition.period == Period.CALENDAR and definition.in_api


def test_the_metric_counts_the_answers_given_through_the_links(client, municipality, home):
    """Seven trainees answer through their links: 3 + 2 "Ja", 1 + 1 "Nej" → 5/7."""
    placements = [finished_placement(home) for _ in range(7)]
    issued = links_issue(placements=placements)
    choices = [YES_HIGH, YES_HIGH, YES_HIGH, YES_SOME, YES_SOME, NO_REALLY, NO_AT_ALL]
    for (_p, token), welcomed in zip(issued, choices, strict=True):
        response = client.post(
            reverse("survey:respond", args=[token]),
            {"welcomed": welcomed, "had_supervisor": "nej", "guidance_satisfaction": "3"},
        )
        assert response.status_code == 302
    measurements_recompute(municipality_id=municipality.pk, as_of=AS_OF)
    result = kpi(municipality, 2025)
    assert (result.numerator, result.denominator) == (5, 7)
    assert round(result.value, 1) == 71.4
    assert kpi(municipality, 2024).value is None


def test_per_department_and_programme(municipality, home, school):
    answers(home, [YES_HIGH] * 5 + [NO_REALLY])
    school_place = WorkplaceFactory(department=school)
    answers(school_place, [NO_AT_ALL] * 4 + [YES_SOME] * 2, programme=programme("SSA"))
    measurements_recompute(municipality_id=municipality.pk, as_of=AS_OF)
    everyone = kpi(municipality, 2025)
    assert (everyone.numerator, everyone.denominator) == (7, 12)
    elderly = kpi(municipality, 2025, department=home.department_id)
    assert (elderly.numerator, elderly.denominator) == (5, 6)
    ssa = kpi(municipality, 2025, programme="SSA")
    assert (ssa.numerator, ssa.denominator) == (2, 6)


def test_fewer_than_five_answers_show_nothing_even_to_coordinators(municipality, home):
    answers(home, [YES_HIGH] * 4)
    measurements_recompute(municipality_id=municipality.pk, as_of=AS_OF)
    result = kpi(municipality, 2025)
    assert result.suppressed and result.value is None and result.numerator is None


def test_an_indicator_on_the_metric_gets_a_measurement_per_year(municipality, home):
    answers(home, [YES_HIGH] * 4 + [NO_REALLY], year=2024)
    answers(home, [YES_SOME] * 2, year=2025)
    indicator = Indicator.objects.create(
        municipality=municipality,
        name="Elever, der oplevede at blive taget godt imod",
        metric=Metric.PLACEMENT_WELCOMED_SHARE,
    )
    indicator.full_clean()
    measurements_recompute(municipality_id=municipality.pk, as_of=AS_OF, all_periods=True)
    values = dict(Measurement.objects.filter(indicator=indicator).values_list("period", "value"))
    assert values == {2024: 80}  # 2025 has only 2 answers: no measurement


def test_the_api_serves_the_metric_with_the_same_rule(client, municipality, home, coordinator):
    answers(home, [YES_HIGH] * 3 + [YES_SOME] + [NO_AT_ALL] * 2)
    measurements_recompute(municipality_id=municipality.pk, as_of=AS_OF)
    _token, raw = ApiToken.issue(user=coordinator, name="BI")
    client.defaults["HTTP_AUTHORIZATION"] = f"Bearer {raw}"
    url = reverse("api:metric", args=["placement_welcomed_share"])
    data = client.get(url + "?year=2025").json()
    assert (data["numerator"], data["denominator"], data["value"]) == (4, 6, 66.67)
    assert client.get(url + "?year=2024").json()["value"] is None


def test_the_api_hides_fewer_than_five_answers_from_every_role(client, municipality, home):
    from tests.factories import UserFactory

    answers(home, [YES_HIGH] * 4)
    measurements_recompute(municipality_id=municipality.pk, as_of=AS_OF)
    url = reverse("api:metric", args=["placement_welcomed_share"]) + "?year=2025"
    for role in (Role.COORDINATOR, Role.HR, Role.ADMIN):
        user = UserFactory(role=role, municipality=municipality)
        _token, raw = ApiToken.issue(user=user, name="BI")
        client.defaults["HTTP_AUTHORIZATION"] = f"Bearer {raw}"
        data = client.get(url).json()
        assert (data["value"], data["numerator"], data["suppressed"]) == (None, None, True), role
