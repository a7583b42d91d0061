"""People fixtures for the trainee and supervisor pages.

- `elderly_trainee`: an SSH trainee of `elderly` (visible to `leader`).
- `school_trainee`: a teacher student of `school` (hidden from `leader`).
- `sick_dropout`: an `elderly` trainee who dropped out for a health-related reason.
- `foreign_trainee`: a trainee of `other_municipality`.
"""

import datetime

import pytest

from apps.trainees.choices import TraineeStatus
from apps.trainees.models import DropoutReason
from tests.factories import TraineeFactory, programme


@pytest.fixture
def elderly_trainee(elderly):
    return TraineeFactory(
        department=elderly, hr_id="E1001", first_name="Asta", last_name="Andersen"
    )


@pytest.fixture
def school_trainee(school):
    return TraineeFactory(
        department=school,
        hr_id="E2001",
        first_name="Bodil",
        last_name="Bech",
        programme=programme("LAER"),
    )


@pytest.fixture
def illness():
    return DropoutReason.objects.get(code="illness")


@pytest.fixture
def sick_dropout(elderly, illness):
    return TraineeFactory(
        department=elderly,
        hr_id="E1002",
        first_name="Carl",
        last_name="Clausen",
        status=TraineeStatus.DROPPED_OUT,
        dropout_reason=illness,
        dropout_note="Langvarig sygemelding",
        end_date=datetime.date(2023, 3, 1),
    )


@pytest.fixture
def foreign_trainee(other_department):
    return TraineeFactory(department=other_department, hr_id="E9001", first_name="Dorte")
