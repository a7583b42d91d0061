"""Import fixtures: the Hillerød demo organisation, files built in tmp_path, the real worker."""

import csv
import datetime
import io
from pathlib import Path

import openpyxl
import pytest
from django.core.management import call_command

from apps.demo.organisation import load_organisation
from apps.organisation.models import Department, Municipality
from apps.trainees.models import Trainee
from tests.paths import SAMPLES  # noqa: F401 - re-exported for the import tests

TRAINEE_HEADERS = [
    "Elev-ID",
    "Fornavn",
    "Efternavn",
    "Uddannelse",
    "Afdeling",
    "Startdato",
    "Forventet slutdato",
    "Slutdato",
    "Status",
    "Frafaldsårsag",
    "Frafaldsfase",
    "Fødselsår",
    "Rekruttering",
    "Ansat efter uddannelse",
    "Ansat i",
]


def trainee_row(hr_id="E1", **overrides) -> list:
    """One valid trainee row in TRAINEE_HEADERS order; override cells by header name."""
    values = {
        "Elev-ID": hr_id,
        "Fornavn": "Anna",
        "Efternavn": "Holm",
        "Uddannelse": "SSH",
        "Afdeling": "Ældre og Sundhed",
        "Startdato": datetime.date(2023, 2, 1),
        "Forventet slutdato": datetime.date(2024, 8, 1),
        "Slutdato": None,
        "Status": "Aktiv",
        "Frafaldsårsag": None,
        "Frafaldsfase": None,
        "Fødselsår": 2000,
        "Rekruttering": "Ekstern",
        "Ansat efter uddannelse": None,
        "Ansat i": None,
    }
    values.update(overrides)
    return [values[h] for h in TRAINEE_HEADERS]


def write_xlsx(path: Path, headers: list, rows: list[list], sheet: str = "Elever") -> Path:
    workbook = openpyxl.Workbook()
    worksheet = workbook.active
    worksheet.title = sheet
    worksheet.append(headers)
    for row in rows:
        worksheet.append(row)
    workbook.save(path)
    return path


def csv_bytes(headers, rows, delimiter=";", encoding="cp1252", bom=False) -> bytes:
    out = io.StringIO(newline="")
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(headers)
    for row in rows:
        writer.writerow(["" if cell is None else cell for cell in row])
    data = out.getvalue().encode(encoding)
    return (b"\xef\xbb\xbf" + data) if bom else data


@pytest.fixture
def hillerod(municipality):
    """The Hillerød demo organisation (departments and workplaces of shared/samples)."""
    load_organisation()
    return Municipality.objects.get(code=219)


@pytest.fixture
def elderly(hillerod):
    """The personas' departments are the demo organisation's own here."""
    return Department.objects.get(municipality=hillerod, name="Ældre og Sundhed")


@pytest.fixture
def school(hillerod):
    return Department.objects.get(municipality=hillerod, name="Skole")


@pytest.fixture
def xlsx_file(tmp_path):
    def _make(rows, headers=TRAINEE_HEADERS, name="elever.xlsx", sheet="Elever"):
        return write_xlsx(tmp_path / name, headers, rows, sheet)

    return _make


@pytest.fixture
def csv_file(tmp_path):
    def _make(rows, headers=TRAINEE_HEADERS, name="elever.csv", **kwargs):
        path = tmp_path / name
        path.write_bytes(csv_bytes(headers, rows, **kwargs))
        return path

    return _make


@pytest.fixture
def run_worker(monkeypatch):
    """Drain the task queue with the real `db_worker --batch` command.

    The worker calls close_old_connections() between tasks, which would close the test's
    connection inside its transaction; that one housekeeping call is disabled here."""
    from django_tasks_db.management.commands import db_worker

    monkeypatch.setattr(db_worker, "close_old_connections", lambda: None)

    def _run():
        call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)

    return _run


def trainee(hr_id: str) -> Trainee:
    return Trainee.objects.get(hr_id=hr_id)
