import datetime

import pytest

from apps.placements.models import WorkplaceCapacity
from apps.supervisors.models import QualificationLevel
from apps.trainees.choices import PlacementKind
from apps.trainees.models import Placement
from tests.factories import SupervisorFactory, TraineeFactory, WorkplaceFactory, programme

START, END = datetime.date(2027, 2, 1), datetime.date(2027, 6, 30)


def capacity(workplace, code, places, start=START, end=END):
    return WorkplaceCapacity.objects.create(
        municipality=workplace.department.municipality,
        workplace=workplace,
        programme=programme(code),
        start_date=start,
        end_date=end,
        places=places,
    )


def supervisor(workplace, *, qualified):
    level = QualificationLevel.objects.get(code="amu" if qualified else "none")
    return SupervisorFactory(workplace=workplace, qualification=level)


def trainee(department, code="SSA", **kwargs):
    return TraineeFactory(department=department, programme=programme(code), **kwargs)


def placement(trainee, workplace, sup=None, start=START, end=END, number=1):
    return Placement.objects.create(
        municipality=trainee.municipality,
        trainee=trainee,
        kind=PlacementKind.TRAINING,
        period_number=number,
        workplace=workplace,
        supervisor=sup,
        start_date=start,
        end_date=end,
    )


@pytest.fixture
def scarce(elderly, school):
    """Workplace A (elderly) takes 3 SSA, one already placed with the qualified supervisor Q;
    U at A is unqualified. Workplace B (school) takes PAU but has no supervisor with room.
    Needing: four SSA, one SSH (no workplace takes SSH), one PAU."""
    a = WorkplaceFactory(department=elderly, name="Døgnplejen Nord")
    b = WorkplaceFactory(department=school, name="Skolen ved Søen")
    capacity(a, "SSA", 3)
    capacity(b, "PAU", 2)
    q = supervisor(a, qualified=True)
    u = supervisor(a, qualified=False)
    already = trainee(elderly, "SSA", hr_id="E-OLD")
    placement(already, a, q)
    ssa = [trainee(elderly, "SSA", hr_id=f"E-SSA{i}") for i in range(4)]
    ssh = trainee(elderly, "SSH", hr_id="E-SSH")
    pau = trainee(school, "PAU", hr_id="E-PAU")
    return {"a": a, "b": b, "q": q, "u": u, "ssa": ssa, "ssh": ssh, "pau": pau}
