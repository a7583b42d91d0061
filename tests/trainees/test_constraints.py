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
    ("column", "value"),
    [
        ("department_id", lambda f: f["other_department"].pk),  # another municipality's
        ("municipality_id", lambda f: f["other_municipality"].pk),  # moved alone
        ("department_id", lambda f: f["elderly"].pk + 10_000),  # no such department
    ],
    ids=["other-municipalitys-department", "other-municipality", "missing-department"],
)
def test_a_department_outside_the_trainees_municipality_is_refused(
    elderly, other_department, other_municipality, column, value
):
    trainee = TraineeFactory(department=elderly)
    fixtures = {
        "elderly": elderly,
        "other_department": other_department,
        "other_municipality": other_municipality,
    }
    with pytest.raises(IntegrityError, match="trainee_department_of_municipality"):
        write(
            f"UPDATE trainees_trainee SET {column} = %s WHERE id = %s",  # noqa: S608
            [value(fixtures), trainee.pk],
        )


def test_a_department_of_its_own_municipality_is_accepted(elderly, school):
    trainee = TraineeFactory(department=elderly)
    write("UPDATE trainees_trainee SET department_id = %s WHERE id = %s", [school.pk, trainee.pk])
    trainee.refresh_from_db()
    assert trainee.department_id == school.pk
