"""The survey's facts for the KPI registry (`placement_welcomed_share`), handed to
`apps.kpis.facts_build.facts_build` through `apps.kpis.registry.register_fact_source`."""

from __future__ import annotations

import datetime
from collections.abc import Iterator

from django.db.models import Count, Q

from apps.kpis.registry import SURVEY_WELCOMED
from apps.survey.choices import WELCOMED
from apps.survey.models import SurveyAnswer


def survey_facts(*, municipality_id: int, as_of: datetime.date) -> Iterator[tuple]:
    """Per department, programme and year of placement end: welcomed answers ÷ all answers
    to the first question. One grouped query."""
    rows = (
        SurveyAnswer.objects.filter(municipality_id=municipality_id)
        .values("department_id", "programme_id", "period_year")
        .annotate(answers=Count("id"), welcomed=Count("id", filter=Q(welcomed__in=WELCOMED)))
        .order_by()
    )
    for r in rows:
        yield (
            SURVEY_WELCOMED,
            r["department_id"],
            r["programme_id"],
            r["period_year"],
            "",
            r["welcomed"],
            r["answers"],
        )
