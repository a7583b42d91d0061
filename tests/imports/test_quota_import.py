"""Quotas from a spreadsheet: preview with Danish row errors, nothing written before the
confirmation, then every row or none."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from apps.core.models import AuditEntry
from apps.trainees.models import IntakeQuota, Programme
from tests.imports.conftest import csv_bytes, write_xlsx

pytestmark = pytest.mark.django_db

HEADERS = ["Uddannelse", "År", "Fagområde", "Minimum", "Maksimum"]
URL = "/import/dimensionering/"


def _upload(client, path):
    with open(path, "rb") as handle:
        return client.post(URL, {"file": handle})


def test_the_url_is_the_quota_upload():
    assert reverse("imports:quota_upload") == URL


def test_a_spreadsheet_is_previewed_then_applied_with_ranges_and_departments(
    login, coordinator, hillerod, elderly, tmp_path
):
    path = write_xlsx(
        tmp_path / "dimensionering.xlsx",
        HEADERS,
        [
            ["Pædagogstuderende", 2025, None, 30, 35],
            ["PAU", 2025, None, "6-14", None],
            ["Ergoterapeutstuderende", 2025, "Ældre og Sundhed", 18, 24],
            ["SSH", 2025, "ÆS", 25, None],
        ],
        sheet="Dimensionering",
    )
    client = login(coordinator)
    preview = _upload(client, path)
    assert preview.status_code == 200
    html = preview.content.decode()
    assert "30–35" in html and "6–14" in html and "Importér 4 dimensioneringer" in html
    assert not IntakeQuota.objects.exists()  # nothing before the confirmation

    done = client.post(URL, {"confirm": "1"})
    assert done.status_code == 302 and done["Location"] == reverse("quotas:quota_list")
    stored = {
        (q.programme.code, q.department and q.department.name): (q.minimum, q.maximum)
        for q in IntakeQuota.objects.select_related("programme", "department")
    }
    assert stored == {
        ("PAED", None): (30, 35),
        ("PAU", None): (6, 14),
        ("ERGO", "Ældre og Sundhed"): (18, 24),
        ("SSH", "Ældre og Sundhed"): (25, None),
    }
    assert AuditEntry.objects.filter(action="trainees.intakequota.created").count() == 4


def test_row_errors_are_danish_name_row_and_column_and_nothing_is_written(
    login, coordinator, hillerod, tmp_path
):
    path = tmp_path / "dimensionering.csv"
    path.write_bytes(
        csv_bytes(
            HEADERS,
            [
                ["SSA", "2025", "", "52", ""],
                ["Kok", "2025", "", "3", ""],
                ["SSH", "tyve", "Månebasen", "25", "20"],
            ],
        )
    )
    client = login(coordinator)
    response = _upload(client, path)
    assert response.status_code == 400
    html = response.content.decode()
    assert "Række 3, Uddannelse: «Kok» er ikke en kendt uddannelse" in html
    assert "Række 4, År: skal være et årstal fra 2000 til 2100, fx 2025" in html
    assert "Række 4, Fagområde: «Månebasen» er ikke et fagområde i kommunen" in html
    assert "Række 4, Maksimum: må ikke være mindre end minimum" in html
    # No confirmation is offered, and a forged one finds nothing to apply.
    assert "Importér 1 dimensionering" not in html
    assert client.post(URL, {"confirm": "1"}).status_code == 400
    assert not IntakeQuota.objects.exists()


def test_a_stored_quota_is_changed_and_an_equal_one_left_alone(
    login, coordinator, hillerod, tmp_path
):
    ssa = Programme.objects.get(code="SSA")
    ssh = Programme.objects.get(code="SSH")
    IntakeQuota.objects.create(municipality=hillerod, programme=ssa, year=2025, minimum=50)
    IntakeQuota.objects.create(municipality=hillerod, programme=ssh, year=2025, minimum=25)
    path = write_xlsx(
        tmp_path / "d.xlsx", HEADERS, [["SSA", 2025, None, 52, None], ["SSH", 2025, None, 25, None]]
    )
    client = login(coordinator)
    html = _upload(client, path).content.decode()
    assert "Ændret" in html and "Uændret" in html
    client.post(URL, {"confirm": "1"})
    assert IntakeQuota.objects.get(programme=ssa).minimum == 52
    assert IntakeQuota.objects.get(programme=ssa).version == 2
    assert IntakeQuota.objects.get(programme=ssh).version == 1


def test_a_sheet_without_the_columns_is_refused_in_danish(login, coordinator, hillerod, tmp_path):
    path = write_xlsx(tmp_path / "d.xlsx", ["Navn", "Tal"], [["x", 1]])
    response = _upload(login(coordinator), path)
    assert response.status_code == 400
    assert "Regnearket mangler kolonnen Uddannelse, År, Minimum" in response.content.decode()


def test_a_file_that_is_not_a_spreadsheet_is_refused(login, coordinator, hillerod):
    fake = SimpleUploadedFile("d.xlsx", b"this is not a zip")
    response = login(coordinator).post(URL, {"file": fake})
    assert response.status_code == 400
    assert "Filen hedder .xlsx, men er ikke et Excel-regneark." in response.content.decode()


def test_a_leader_may_not_import_quotas(login, leader, hillerod):
    assert login(leader).get(URL).status_code == 403
