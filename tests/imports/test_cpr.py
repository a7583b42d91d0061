"""CPR numbers are found anywhere in any text cell, in every kind of import and in the
trainee correction form, and never reach the rows, the audit trail or the log."""

import logging

import pytest
from django.urls import reverse

from apps.core.cpr import contains_cpr, is_cpr, redact_cpr
from apps.core.models import AuditEntry
from apps.imports.models import BatchStatus, ImportBatch, ImportRow, RowAction
from apps.imports.services import import_batch_commit, import_batch_preview, import_batch_start
from apps.imports.services import preview as preview_service
from apps.supervisors.models import Supervisor
from apps.trainees.models import Trainee
from tests.factories import TraineeFactory
from tests.imports.conftest import TRAINEE_HEADERS, trainee_row
from tests.imports.test_services import errors, preview

pytestmark = pytest.mark.django_db

CPR_REASON = (
    "cellen indeholder et CPR-nummer, som ikke må gemmes i portalen, så rækken er afvist. "
    "Fjern CPR-nummeret i filen, og upload den igen"
)


@pytest.mark.parametrize(
    "text",
    [
        "010190 1234",
        "Pers. 0101901234 v",
        "0101901234",
        "010190-1234",
        "x 010190 1234 y",
        "Pers.0101901234",
        "311299-0000",
        "Hans Hansen (010190 - 1234)",
    ],
)
def test_cpr_numbers_are_found_anywhere_in_a_text(text):
    assert contains_cpr(text)
    assert "[CPR]" in redact_cpr(text) and "1234" not in redact_cpr(text).replace("[CPR]", "")


@pytest.mark.parametrize(
    "text",
    [
        "12345678",  # a phone number
        "+45 12 34 56 78",
        "321390 1234",  # day 32
        "321390-1234",
        "011390 1234",  # month 13
        "12345678901",  # eleven digits
        "31-01-2023",
        "2023-01-31 00:00",
        "E1042",
        "Hans Hansen",
        "",
    ],
)
def test_other_numbers_are_not_cpr_numbers(text):
    assert not contains_cpr(text)


def test_a_cell_that_is_only_a_cpr_number_marks_a_cpr_column():
    assert is_cpr(" 010190 1234 ") and is_cpr(101901234.0)
    assert not is_cpr("Pers. 0101901234 v")


def _stored_everywhere(batch) -> str:
    rows = list(ImportRow.objects.filter(batch=batch).values())
    audit = list(AuditEntry.objects.values("object_repr", "changes", "context"))
    batch_values = list(ImportBatch.objects.filter(pk=batch.pk).values())
    return str([rows, audit, batch_values])


def test_cpr_numbers_inside_text_cells_reject_the_row_and_are_never_stored(
    hillerod, xlsx_file, caplog
):
    headers = [*TRAINEE_HEADERS, "Personlig vejleder"]
    rows = [
        [*trainee_row("E1"), "Pers. 0101901234 v"],
        [*trainee_row("E2", Fornavn="x 010190 1234 y"), "Mette Holm"],
        [*trainee_row("E3", Frafaldsfase="OP2 020290-4321"), "Mette Holm"],
        [*trainee_row("E4"), "Mette Holm, tlf. 12345678"],
    ]
    caplog.set_level(logging.DEBUG)
    batch = preview(hillerod, xlsx_file(rows, headers=headers))
    assert batch.status == BatchStatus.READY
    assert batch.dropped_columns == []
    assert errors(batch) == [
        f"Række 2, kolonne Personlig vejleder: {CPR_REASON}",
        f"Række 3, kolonne Fornavn: {CPR_REASON}",
        f"Række 4, kolonne Frafaldsfase: {CPR_REASON}",
    ]
    assert batch.created_count == 1
    import_batch_commit(batch=batch, actor=None)
    assert Trainee.objects.get(hr_id="E4").personal_guide == "Mette Holm, tlf. 12345678"
    stored = _stored_everywhere(batch)
    for digits in ("0101901234", "010190", "020290"):
        assert digits not in stored
    assert "010190" not in caplog.text


def test_an_only_cpr_cell_drops_its_column_as_the_spec_says(hillerod, xlsx_file):
    headers = [*TRAINEE_HEADERS, "Personlig vejleder"]
    rows = [[*trainee_row("E1"), "010190 1234"], [*trainee_row("E2"), "Mette Holm"]]
    batch = preview(hillerod, xlsx_file(rows, headers=headers))
    assert batch.dropped_columns == ["Personlig vejleder"]
    assert batch.created_count == 2
    assert "010190" not in _stored_everywhere(batch)


def test_cpr_numbers_far_down_a_long_sheet_are_found_as_in_its_first_rows(hillerod, xlsx_file):
    """The reader sends a long sheet in chunks, searched as they arrive: a CPR number in a
    later chunk (past row 5,000) drops its column or rejects its row all the same."""
    from apps.imports.sheet_child import CHUNK_ROWS

    headers = [*TRAINEE_HEADERS, "Personlig vejleder"]
    rows = [[*trainee_row(f"E{n}"), "Mette Holm"] for n in range(CHUNK_ROWS + 1500)]
    rows[CHUNK_ROWS + 700][-1] = "010190 1234"  # a cell that is only a CPR number
    rows[CHUNK_ROWS + 900][1] = "Ida 020290-4321"  # one inside other text
    batch = preview(hillerod, xlsx_file(rows, headers=headers))
    assert batch.status == BatchStatus.READY
    assert batch.dropped_columns == ["Personlig vejleder"]
    assert errors(batch) == [f"Række {CHUNK_ROWS + 902}, kolonne Fornavn: {CPR_REASON}"]
    assert batch.created_count == len(rows) - 1
    stored = str(list(ImportRow.objects.filter(batch=batch).values()))
    assert "010190" not in stored and "020290" not in stored


def test_supervisor_files_are_checked_the_same_way(hillerod, xlsx_file):
    headers = ["Medarbejder-ID", "Navn", "Faggruppe"]
    rows = [["M1", "Hans Hansen", "SSA 0101901234"], ["M2", "Mette Holm", "SSA"]]
    batch = preview(hillerod, xlsx_file(rows, headers=headers, sheet="Vejledere"))
    assert errors(batch) == [f"Række 2, kolonne Faggruppe: {CPR_REASON}"]
    import_batch_commit(batch=batch, actor=None)
    assert list(Supervisor.objects.values_list("hr_id", flat=True)) == ["M2"]
    assert "0101901234" not in _stored_everywhere(batch)


def test_a_cpr_number_in_the_id_column_leaves_the_rejected_row_without_key(hillerod, xlsx_file):
    rows = [trainee_row("Pers. 0101901234"), trainee_row("E2")]
    batch = preview(hillerod, xlsx_file(rows))
    rejected = batch.rows.get(action=RowAction.REJECTED)
    assert rejected.key == "" and rejected.errors[0]["column"] == "Elev-ID"


def test_an_unexpected_error_is_logged_without_the_cpr_number(
    hillerod, xlsx_file, monkeypatch, caplog
):
    def explode(batch, sheet):
        raise ValueError("kunne ikke tolke «Pers. 0101901234 v»")

    monkeypatch.setattr(preview_service, "analyse_sheet", explode)
    caplog.set_level(logging.ERROR)
    path = xlsx_file([trainee_row("E1")], name="elev 0101901234.xlsx")
    batch = import_batch_start(municipality=hillerod, actor=None, path=path)
    batch = import_batch_preview(batch=batch, path=path)
    assert batch.status == BatchStatus.REFUSED
    assert "kunne ikke tolke «Pers. [CPR] v»" in caplog.text
    assert "0101901234" not in caplog.text
    assert batch.file_name == "elev [CPR].xlsx"
    assert "0101901234" not in str(list(AuditEntry.objects.values("context")))


def test_the_trainee_correction_form_refuses_a_cpr_number(login, hr, hillerod, elderly):
    trainee = TraineeFactory(department=elderly, hr_id="E1001", first_name="Asta")
    client = login(hr)
    url = reverse("trainees:trainee_update", args=[trainee.pk])
    initial = client.get(url).context["form"].initial
    data = {k: v for k, v in initial.items() if v is not None}
    data.update({"version": 1, "hired_after": "unknown", "personal_guide": "Pers. 010190 1234"})
    response = client.post(url, data)
    assert response.status_code == 200
    assert "Feltet indeholder et CPR-nummer" in response.content.decode()
    trainee.refresh_from_db()
    assert trainee.personal_guide == "" and trainee.version == 1
    assert not AuditEntry.objects.filter(action="trainees.trainee.updated").exists()


def test_a_required_column_dropped_for_cpr_numbers_is_named_in_the_refusal(hillerod, xlsx_file):
    rows = [trainee_row("E1"), trainee_row("010190-1234")]
    batch = preview(hillerod, xlsx_file(rows))
    assert batch.status == BatchStatus.REFUSED
    assert batch.message.endswith(
        "Kolonner fjernet, fordi de indeholder CPR-numre, som portalen ikke må gemme: Elev-ID."
    )
    assert "010190" not in _stored_everywhere(batch)
