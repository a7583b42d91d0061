"""The demo has survey answers for its finished placements (the same on every load), so the
results page, the metric and Frederikssund's "taget godt imod" indicator show figures."""

import io

import pytest

from apps.core.roles import Role
from apps.core.scoping import Scope
from apps.demo.indicators import load_indicators
from apps.demo.organisation import load_organisation
from apps.demo.population import load_population
from apps.demo.strategies import load_strategies
from apps.demo.survey import load_survey_answers
from apps.kpis.models import Indicator, MeasurementSource
from apps.organisation.models import Municipality
from apps.survey.models import SurveyAnswer, SurveyLink
from apps.survey.selectors import survey_results, survey_years

pytestmark = pytest.mark.django_db


def fingerprint() -> list[tuple]:
    return sorted(
        SurveyAnswer.objects.values_list(
            "workplace__name", "period_year", "period_month", "welcomed", "guidance_satisfaction"
        )
    )


def test_the_demo_answers_are_deterministic_and_show_on_the_pages():
    load_organisation()
    load_strategies(stdout=io.StringIO())
    load_population(stdout=io.StringIO())
    load_survey_answers(stdout=io.StringIO())
    first = fingerprint()
    assert len(first) > 500
    # Only finished training placements answered, each through one used link.
    assert SurveyLink.objects.filter(used=True).count() == len(first)
    assert not SurveyLink.objects.filter(placement__kind="school").exists()

    out = io.StringIO()
    load_survey_answers(stdout=out)
    assert "har allerede svar" in out.getvalue() and fingerprint() == first
    SurveyAnswer.objects.all().delete()
    SurveyLink.objects.all().delete()
    load_survey_answers(stdout=io.StringIO())
    assert fingerprint() == first

    load_indicators(stdout=io.StringIO())
    fred = Municipality.objects.get(code=250)
    indicator = Indicator.objects.get(
        municipality=fred, name="Elever, der oplevede at blive taget godt imod"
    )
    computed = dict(
        indicator.measurements.filter(source=MeasurementSource.COMPUTED).values_list(
            "period", "value"
        )
    )
    assert {2023, 2024, 2025} <= set(computed)
    assert all(50 <= v <= 100 for v in computed.values())
    assert indicator.measurements.get(period=2022).value == 80  # the national survey, by hand

    scope = Scope(user_id=None, role=Role.COORDINATOR, municipality_id=fred.pk)
    year = survey_years(scope)[0]
    result = survey_results(scope, year=year, dimension="department", with_comments=True)
    assert result.groups and all(g.answers >= 5 for g in result.groups)
    assert any(g.comments for g in result.groups)
