"""Supervisor fixtures: one at a workplace of `elderly` (visible to `leader`), one of
`school` (hidden from `leader`) and one of another municipality; `place()` puts a trainee
with a supervisor."""

import datetime

import pytest

from apps.supervisors.models import QualificationLevel
from apps.trainees.choices import PlacementKind
from apps.trainees.models import Placement
from tests.factories import SupervisorFactory, TraineeFactory, WorkplaceFactory


@pytest.fixture
def nursing_home(elderly):
    return WorkplaceFactory(department=elderly, name="Plejecenter Bakkehuset")


@pytest.fixture
def school_site(school):
    return WorkplaceFactory(department=school, name="Nordskolen")


@pytest.fixture
def amu():
    return QualificationLevel.objects.get(code="amu")


@pytest.fixture
def elderly_supervisor(nursing_home, amu):
    return SupervisorFactory(workplace=nursing_home, name="Tina Møller", qualification=amu)


@pytest.fixture
def school_supervisor(school_site):
    return SupervisorFactory(workplace=school_site, name="Sune Skov")


@pytest.fixture
def foreign_supervisor(other_department):
    return SupervisorFactory(
        workplace=WorkplaceFactory(department=other_department), name="Ulla Udenbys"
    )


def place(trainee, supervisor, *, number=1, start=None, end=None):
    """A training placement of `trainee` with `supervisor` (current by default)."""
    today = datetime.date.today()
    return Placement.objects.create(
        municipality=trainee.municipality,
        trainee=trainee,
        period_number=number,
        kind=PlacementKind.TRAINING,
        workplace=supervisor.workplace,
        supervisor=supervisor,
        start_date=start or today - datetime.timedelta(days=30),
        end_date=end or today + datetime.timedelta(days=30),
    )


@pytest.fixture
def current_trainee(elderly, elderly_supervisor):
    trainee = TraineeFactory(department=elderly, first_name="Asta", last_name="Andersen")
    place(trainee, elderly_supervisor)
    return trainee
