"""The database keeps a trainee in a department of its own municipality, whatever writes it
(one foreign key over department and municipality; PostgreSQL)."""

import pytest
from django.db import IntegrityError, connection, transaction

from tests.factories import TraineeFactory


def write(sql: str, params: list) -> None:
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute(sql, params)


@pytest.mark.parametrize(
    ("column", "fixture", "offset"),
    [
        ("department_id", "other_department", 0),  # another municipality's department
        ("municipality_id", "other_municipality", 0),  # the municipality changed alone
        ("department_id", "elderly", 10_000),  # no such department
    ],
    ids=["other-municipalitys-department", "other-municipality", "missing-department"],
)
def test_a_department_outside_the_trainees_municipality_is_refused(
    request, elderly, column, fixture, offset
):
    trainee = TraineeFactory(department=elderly)
    value = request.getfixturevalue(fixture).pk + offset
    with pytest.raises(IntegrityError, match="trainee_department_of_municipality"):
        write(
            f"UPDATE trainees_trainee SET {column} = %s WHERE id = %s",  # noqa: S608
            [value, trainee.pk],
        )


def test_a_department_of_its_own_municipality_is_accepted(elderly, school):
    trainee = TraineeFactory(department=elderly)
    write("UPDATE trainees_trainee SET department_id = %s WHERE id = %s", [school.pk, trainee.pk])
    trainee.refresh_from_db()
    assert trainee.department_id == school.pk
