import datetime
from decimal import Decimal

import pytest

from apps.trainees.models import Absence
from tests.factories import TraineeFactory

AUG, SEP, OCT = datetime.date(2026, 8, 1), datetime.date(2026, 9, 1), datetime.date(2026, 10, 1)


def absence(trainee, month, sick, planned):
    return Absence.objects.create(
        municipality=trainee.municipality,
        trainee=trainee,
        month=month,
        sick_days=Decimal(str(sick)),
        planned_days=Decimal(str(planned)),
    )


@pytest.fixture
def flagged_pair(municipality, elderly, school):
    """One trainee with 15 % sick absence in each of `elderly` and `school` (window Aug–Oct
    2026), and one below the threshold in `elderly`."""
    mine = TraineeFactory(department=elderly, first_name="Ida", last_name="Ældre")
    theirs = TraineeFactory(department=school, first_name="Sofus", last_name="Skole")
    fine = TraineeFactory(department=elderly, first_name="Frida", last_name="Fin")
    for trainee, sick in ((mine, 3), (theirs, 3), (fine, 1)):
        for month in (AUG, SEP, OCT):
            absence(trainee, month, sick, 20)
    return mine, theirs, fine
