"""The database keeps a trainee in a department of its own municipality, whatever writes it
(one foreign key over department and municipality; PostgreSQL)."""

import pytest
from django.db import IntegrityError, connection, transaction

from tests.factories import TraineeFactory


def write(sql: str, params: list) -> None:
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute(sql, params)


def test_a_department_of_another_municipality_is_refused(elderly, other_department):
    trainee = TraineeFactory(department=elderly)
    with pytest.raises(IntegrityError, match="trainee_department_of_municipality"):
        write(
            "UPDATE trainees_trainee SET department_id = %s WHERE id = %s",
            [other_department.pk, trainee.pk],
        )


def test_moving_a_trainee_to_another_municipality_alone_is_refused(elderly, other_municipality):
    trainee = TraineeFactory(department=elderly)
    with pytest.raises(IntegrityError, match="trainee_department_of_municipality"):
        write(
            "UPDATE trainees_trainee SET municipality_id = %s WHERE id = %s",
            [other_municipality.pk, trainee.pk],
        )


def test_a_department_that_does_not_exist_is_refused(elderly):
    trainee = TraineeFactory(department=elderly)
    with pytest.raises(IntegrityError, match="trainee_department_of_municipality"):
        write(
            "UPDATE trainees_trainee SET department_id = %s WHERE id = %s",
            [elderly.pk + 10_000, trainee.pk],
        )


def test_a_department_of_its_own_municipality_is_accepted(elderly, school):
    trainee = TraineeFactory(department=elderly)
    write("UPDATE trainees_trainee SET department_id = %s WHERE id = %s", [school.pk, trainee.pk])
    trainee.refresh_from_db()
    assert trainee.department_id == school.pk
