"""Two database connections editing the same row at the same time: the second save waits
for the first to commit, then is refused as stale instead of overwriting it."""

import threading

import pytest
from django.db import connection, transaction

from apps.core.roles import Role
from apps.strategy.models import Goal
from apps.strategy.services import EditConflict, goal_update
from apps.trainees.models import Trainee
from apps.trainees.services import StaleEditError, trainee_update
from tests.catalogues import replay_data_migrations
from tests.factories import DepartmentFactory, GoalFactory, TraineeFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def catalogues(transactional_db):
    """An earlier transactional test's flush may have emptied the catalogues."""
    replay_data_migrations()


def _hold_first_edit_open(edit, first_saved: threading.Event, release: threading.Event):
    """Run `edit` in its own thread (its own connection) inside a transaction that stays
    open, with the row locked, until `release` is set."""

    def run():
        try:
            with transaction.atomic():
                edit()
                first_saved.set()
                release.wait(timeout=10)
        finally:
            connection.close()

    thread = threading.Thread(target=run)
    thread.start()
    assert first_saved.wait(timeout=10)
    return thread


def _release_soon(release: threading.Event) -> threading.Timer:
    timer = threading.Timer(0.5, release.set)
    timer.start()
    return timer


def test_a_second_connection_editing_the_same_goal_is_refused_not_overwriting():
    goal = GoalFactory(text="Før")
    coordinator = UserFactory(
        role=Role.COORDINATOR, municipality=goal.focus_area.strategy.municipality
    )
    first_saved, release = threading.Event(), threading.Event()
    thread = _hold_first_edit_open(
        lambda: goal_update(
            goal=Goal.objects.get(pk=goal.pk),
            actor=coordinator,
            data={"text": "Første redaktør"},
            expected_version=1,
        ),
        first_saved,
        release,
    )
    timer = _release_soon(release)
    try:
        with pytest.raises(EditConflict):  # waits for the lock, then sees version 2
            goal_update(
                goal=Goal.objects.get(pk=goal.pk),
                actor=coordinator,
                data={"text": "Anden redaktør"},
                expected_version=1,
            )
    finally:
        thread.join()
        timer.cancel()
    goal.refresh_from_db()
    assert (goal.text, goal.version) == ("Første redaktør", 2)


def test_a_second_connection_correcting_the_same_trainee_is_refused():
    department = DepartmentFactory()
    trainee = TraineeFactory(department=department, first_name="Før")
    hr = UserFactory(role=Role.HR, municipality=department.municipality)
    first_saved, release = threading.Event(), threading.Event()
    thread = _hold_first_edit_open(
        lambda: trainee_update(
            trainee=Trainee.objects.get(pk=trainee.pk),
            actor=hr,
            data={"first_name": "Første"},
            expected_version=1,
        ),
        first_saved,
        release,
    )
    timer = _release_soon(release)
    try:
        with pytest.raises(StaleEditError):
            trainee_update(
                trainee=Trainee.objects.get(pk=trainee.pk),
                actor=hr,
                data={"first_name": "Anden"},
                expected_version=1,
            )
    finally:
        thread.join()
        timer.cancel()
    trainee.refresh_from_db()
    assert (trainee.first_name, trainee.version) == ("Første", 2)
