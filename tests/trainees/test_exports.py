"""The trainee export: filtered rows, formula neutralising, Danish csv, access log."""

import csv
import io

import openpyxl
import pytest
from django.urls import reverse

from apps.core.exports import neutralise
from apps.core.models import AuditEntry
from tests.factories import TraineeFactory

pytestmark = pytest.mark.django_db

EXPORT = reverse("trainees:trainee_export")
DANGEROUS = ["=1+1", "+45 1234", "-2+3", "@SUM(A1)", "\tTab", "\rCR"]


@pytest.fixture
def dangerous_trainees(elderly):
    return [
        TraineeFactory(department=elderly, hr_id=f"X{i}", first_name=value, last_name="Farlig")
        for i, value in enumerate(DANGEROUS)
    ]


def read_xlsx(content: bytes) -> list[list]:
    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def read_csv(content: bytes) -> list[list[str]]:
    assert content.startswith(b"\xef\xbb\xbf")
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig")), delimiter=";"))


def test_neutralise_prefixes_formula_starters_only():
    for value in DANGEROUS:
        assert neutralise(value) == "'" + value
    assert neutralise("Ældre og Sundhed") == "Ældre og Sundhed"
    assert neutralise(42) == 42


def test_xlsx_export_neutralises_formula_cells(login, hr, dangerous_trainees):
    response = login(hr).get(EXPORT, {"format": "xlsx"})
    assert response["Content-Disposition"].endswith('.xlsx"')
    rows = read_xlsx(response.content)
    assert rows[0][:3] == ["Elev-ID", "Fornavn", "Efternavn"]
    # Whether a stored carriage return reads back as itself or as a line feed depends on the
    # XML parser openpyxl finds (lxml keeps it, the standard library normalises it).
    first_names = {row[1].replace("\r", "\n") for row in rows[1:]}
    assert first_names == {"'" + v.replace("\r", "\n") for v in DANGEROUS}
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)


def test_csv_export_is_semicolon_separated_utf8_with_bom_and_neutralised(
    login, hr, dangerous_trainees
):
    response = login(hr).get(EXPORT, {"format": "csv"})
    assert response["Content-Type"].startswith("text/csv")
    rows = read_csv(response.content)
    assert rows[0][4] == "Fagområde"
    assert {row[1] for row in rows[1:]} == {"'" + v for v in DANGEROUS}
    assert {row[4] for row in rows[1:]} == {"Ældre og Sundhed"}


def test_export_follows_the_list_filters_and_the_leaders_scope(
    login, leader, elderly_trainee, school_trainee, sick_dropout
):
    rows = read_csv(login(leader).get(EXPORT, {"format": "csv", "status": "active"}).content)
    assert [row[0] for row in rows[1:]] == ["E1001"]


def test_an_export_is_logged_with_filters_and_row_count(login, hr, elderly_trainee, school_trainee):
    login(hr).get(EXPORT, {"format": "xlsx", "programme": "LAER"})
    entry = AuditEntry.objects.get(action="export")
    assert entry.context["criteria"] == {"programme": "LAER"}
    assert entry.context["rows"] == 1
    assert entry.context["format"] == "xlsx"


def test_hr_export_shows_the_health_reason_leader_export_has_no_reason_columns(
    login, hr, leader, sick_dropout
):
    hr_rows = read_csv(login(hr).get(EXPORT, {"format": "csv"}).content)
    assert hr_rows[0][9:11] == ["Frafaldsårsag", "Note om frafald"]
    assert hr_rows[1][9] == "Fysisk/psykisk sygdom"
    leader_rows = read_csv(login(leader).get(EXPORT, {"format": "csv"}).content)
    assert "Frafaldsårsag" not in leader_rows[0] and "Note om frafald" not in leader_rows[0]
    assert len(leader_rows[0]) == len(hr_rows[0]) - 2 == len(leader_rows[1])
    assert leader_rows[0][9] == "Frafaldsfase"
