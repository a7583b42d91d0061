"""Hostile and broken files are refused in bounded time, and nothing else ever escapes.

Includes the hypothesis fuzz test of issue 7: random and mutated workbooks and csv files
either import or are refused with a Danish message, never crash or hang.
"""

import io
import zipfile

import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from apps.imports.errors import ImportRefused
from apps.imports.models import BatchStatus
from apps.imports.readers import read_file
from apps.imports.services import import_batch_preview, import_batch_start
from apps.trainees.models import Trainee
from tests.imports.conftest import TRAINEE_HEADERS, csv_bytes, trainee_row, write_xlsx

XML_REFUSAL = "Regnearket indeholder XML-erklæringer (DOCTYPE/ENTITY), som ikke er tilladt."
BOMB_REFUSAL = "Regnearket fylder langt mere udpakket end som fil og afvises af sikkerhedshensyn."
WRONG_TYPE = "Kun xlsx-, csv- og txt-filer (Excels «Unicode-tekst») kan importeres."
CSV_REFUSAL = "Filen hedder .csv, men er ikke en tekstfil med kommaseparerede data."
GENERIC = "Filen kunne ikke læses. Intet er ændret."


def rewrite_zip(source: bytes, replace: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(source)) as src, zipfile.ZipFile(out, "w") as dst:
        for item in src.infolist():
            data = replace.pop(item.filename, None)
            dst.writestr(item, data if data is not None else src.read(item.filename))
        for name, data in replace.items():
            dst.writestr(name, data, compress_type=zipfile.ZIP_DEFLATED)
    return out.getvalue()


@pytest.fixture
def valid_xlsx(tmp_path) -> bytes:
    return write_xlsx(tmp_path / "ok.xlsx", TRAINEE_HEADERS, [trainee_row("E1")]).read_bytes()


def refusal(tmp_path, name: str, content: bytes) -> str:
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(ImportRefused) as refused:
        read_file(path)
    return refused.value.message


def test_zip_bomb_is_refused_before_reading(tmp_path, valid_xlsx):
    bomb = rewrite_zip(valid_xlsx, {"xl/worksheets/sheet1.xml": b" " * (30 * 1024 * 1024)})
    assert len(bomb) < 200_000
    assert refusal(tmp_path, "bomb.xlsx", bomb) == BOMB_REFUSAL


def test_doctype_and_entities_are_refused(tmp_path, valid_xlsx):
    laughs = (
        b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
        b'<!ENTITY lol2 "&lol;&lol;&lol;&lol;">]><workbook>&lol2;</workbook>'
    )
    evil = rewrite_zip(valid_xlsx, {"xl/workbook.xml": laughs})
    assert refusal(tmp_path, "evil.xlsx", evil) == XML_REFUSAL
    external = b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><x/>'
    sheet = rewrite_zip(valid_xlsx, {"xl/worksheets/sheet1.xml": external})
    assert refusal(tmp_path, "evil2.xlsx", sheet) == XML_REFUSAL


def test_oversized_file_is_refused_before_parsing(tmp_path, settings):
    settings.IMPORT_MAX_UPLOAD_BYTES = 1024 * 1024
    content = csv_bytes(TRAINEE_HEADERS, [trainee_row("E1")] * 20_000)
    assert refusal(tmp_path, "big.csv", content) == "Filen er for stor. Den må højst fylde 1 MB."


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("pic.csv", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", CSV_REFUSAL),
        ("old.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", WRONG_TYPE),
        ("data.xlsx", b"Elev-ID;Navn\n1;A\n", "Filen hedder .xlsx, men er ikke et Excel-regneark."),
        ("zip.xlsx", b"PK\x03\x04garbage", "Filen er ikke et gyldigt Excel-regneark (xlsx)."),
        ("empty.csv", b"", "Filen er tom."),
        ("blank.csv", b"\r\n;;\r\n", "Filen indeholder ingen overskrifter eller data."),
    ],
)  # fmt: skip
def test_not_a_spreadsheet_is_refused(tmp_path, name, content, message):
    assert refusal(tmp_path, name, content) == message


def test_a_zip_that_is_not_a_workbook_is_refused(tmp_path):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("readme.txt", "hej")
    assert refusal(tmp_path, "x.xlsx", out.getvalue()) == (
        "Filen er ikke et gyldigt Excel-regneark (xlsx)."
    )


def test_sheet_named_like_the_kind_is_chosen(tmp_path):
    import openpyxl

    workbook = openpyxl.Workbook()
    workbook.active.title = "Forside"
    workbook.active.append(["Rapport fra HR"])
    sheet = workbook.create_sheet("Elever 2024")
    sheet.append(TRAINEE_HEADERS)
    path = tmp_path / "two.xlsx"
    workbook.save(path)
    assert read_file(path, kind_hint="trainees").headers[:2] == ["Elev-ID", "Fornavn"]
    assert read_file(path).sheet_name == "Elever 2024"


# --- fuzz --------------------------------------------------------------------------------

FUZZ = hsettings(
    max_examples=25,
    deadline=3000,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    database=None,
)


def preview_bytes(municipality, folder, name, content):
    path = folder / name
    path.write_bytes(content)
    batch = import_batch_start(municipality=municipality, actor=None, path=path)
    return import_batch_preview(batch=batch, path=path)


def assert_clean_outcome(batch):
    assert batch.status in {BatchStatus.READY, BatchStatus.REFUSED}
    assert batch.message != GENERIC, "an unexpected exception escaped the readers"
    if batch.status == BatchStatus.REFUSED:
        assert batch.message and not batch.rows.exists()


@pytest.mark.django_db
@FUZZ
@given(data=st.data())
def test_fuzz_mutated_workbooks_import_or_refuse_cleanly(hillerod, tmp_path, valid_xlsx, data):
    content = bytearray(valid_xlsx)
    for _ in range(data.draw(st.integers(1, 8))):
        position = data.draw(st.integers(0, len(content) - 1))
        content[position] = data.draw(st.integers(0, 255))
    if data.draw(st.booleans()):
        content = content[: data.draw(st.integers(1, len(content)))]
    batch = preview_bytes(hillerod, tmp_path, "fuzz.xlsx", bytes(content))
    assert_clean_outcome(batch)
    Trainee.objects.all().delete()


cell = st.one_of(
    st.text(max_size=12),
    st.sampled_from(["SSH", "Aktiv", "Afbrudt", "31-02-2023", "1.2.2023", "=1+1", "I alt", ""]),
)


@pytest.mark.django_db
@FUZZ
@given(
    rows=st.lists(st.lists(cell, min_size=0, max_size=17), max_size=8),
    headers=st.lists(
        st.sampled_from([*TRAINEE_HEADERS, "CPR", "Navn", "Måned", "Periode", "x"]),
        min_size=1,
        max_size=17,
    ),
    delimiter=st.sampled_from([";", ",", "\t"]),
    encoding=st.sampled_from(["utf-8", "cp1252"]),
)
def test_fuzz_random_csv_imports_or_refuses_cleanly(
    hillerod, tmp_path, rows, headers, delimiter, encoding
):
    text = "\r\n".join(delimiter.join(r) for r in [headers, *rows])
    content = text.encode(encoding, errors="replace")
    batch = preview_bytes(hillerod, tmp_path, "fuzz.csv", content)
    assert_clean_outcome(batch)


@pytest.mark.django_db
@FUZZ
@given(raw=st.binary(max_size=2000), name=st.sampled_from(["f.csv", "f.xlsx"]))
def test_fuzz_random_bytes_are_refused_or_read(hillerod, tmp_path, raw, name):
    assert_clean_outcome(preview_bytes(hillerod, tmp_path, name, raw))
