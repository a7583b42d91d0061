import datetime

import pytest

from apps.survey.choices import Welcome
from apps.survey.models import SurveyAnswer
from apps.trainees.choices import PlacementKind
from apps.trainees.models import Placement
from tests.factories import TraineeFactory, WorkplaceFactory

ENDED = datetime.date(2025, 6, 30)


def finished_placement(workplace, *, end=ENDED, trainee=None, number=1):
    """A training placement at `workplace` that ended on `end`."""
    trainee = trainee or TraineeFactory(department=workplace.department)
    return Placement.objects.create(
        municipality=workplace.department.municipality,
        trainee=trainee,
        period_number=number,
        kind=PlacementKind.TRAINING,
        workplace=workplace,
        start_date=end - datetime.timedelta(days=90),
        end_date=end,
    )


def answers(workplace, welcomed: list[str], *, year=2025, comment="", programme=None):
    """Answers straight into the table (as many as `welcomed`), for results and metrics."""
    from tests.factories import programme as programme_of

    rows = [
        SurveyAnswer(
            municipality=workplace.department.municipality,
            workplace=workplace,
            department=workplace.department,
            programme=programme or programme_of("SSH"),
            period_year=year,
            period_month=6,
            welcomed=w,
            had_supervisor=i % 2 == 0,
            guidance_satisfaction=(i % 5) + 1,
            comment=comment and f"{comment} {i}",
            answered_on=datetime.date(year, 7, 1),
        )
        for i, w in enumerate(welcomed)
    ]
    return SurveyAnswer.objects.bulk_create(rows)


YES_HIGH, YES_SOME = Welcome.HIGH.value, Welcome.SOME.value
NO_REALLY, NO_AT_ALL = Welcome.NOT_REALLY.value, Welcome.NOT_AT_ALL.value


@pytest.fixture
def home(elderly):
    return WorkplaceFactory(department=elderly, name="Plejecenter Bakkebo")


@pytest.fixture
def placement(home):
    return finished_placement(home)
