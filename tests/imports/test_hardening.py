"""Files that would exhaust the worker's memory are refused before they are read; the reading
itself runs under a memory limit; a check whose worker died is failed with a Danish message
and its file deleted; utf-16 csv is read and csv errors are Danish."""

import io
import os
import resource
import socket
import subprocess
import sys
import zipfile

import pytest
from django.utils import timezone

from apps.core.models import AuditEntry
from apps.core.processes import process_started
from apps.imports import readers, sheet_extent
from apps.imports.errors import ImportRefused
from apps.imports.models import BatchStatus, ImportBatch, ImportUpload
from apps.imports.readers import read_file
from apps.imports.retention import import_batches_release_stuck
from apps.imports.services import import_batch_preview, import_batch_start
from apps.imports.tasks import WATCH_PATH, watch_import_checks, watch_schedule
from apps.trainees.models import Trainee
from tests.imports.conftest import TRAINEE_HEADERS, trainee_row

pytestmark = pytest.mark.django_db

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
DOC_RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


def sparse_xlsx(
    cells: dict[str, str], sheet: str = "Elever", dimension: str = "", sheet_xml: str = ""
) -> bytes:
    """A minimal workbook written by hand: one sheet, inline-string cells at `cells` (or
    the worksheet `sheet_xml` as given)."""
    rows: dict[int, list[str]] = {}
    for ref, text in cells.items():
        number = int("".join(ch for ch in ref if ch.isdigit()))
        rows.setdefault(number, []).append(f'<c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c>')
    body = "".join(f'<row r="{n}">{"".join(c)}</row>' for n, c in sorted(rows.items()))
    dim = f'<dimension ref="{dimension}"/>' if dimension else ""
    parts = {
        "[Content_Types].xml": (
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" '
            'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/></Types>'
        ),
        "_rels/.rels": (
            f'<Relationships xmlns="{RELS}"><Relationship Id="rId1" '
            f'Type="{DOC_RELS}/officeDocument" Target="xl/workbook.xml"/></Relationships>'
        ),
        "xl/workbook.xml": (
            f'<workbook xmlns="{MAIN}" xmlns:r="{DOC_RELS}"><sheets>'
            f'<sheet name="{sheet}" sheetId="1" r:id="rId1"/></sheets></workbook>'
        ),
        "xl/_rels/workbook.xml.rels": (
            f'<Relationships xmlns="{RELS}"><Relationship Id="rId1" '
            f'Type="{DOC_RELS}/worksheet" Target="worksheets/sheet1.xml"/></Relationships>'
        ),
        "xl/worksheets/sheet1.xml": sheet_xml
        or f'<worksheet xmlns="{MAIN}">{dim}<sheetData>{body}</sheetData></worksheet>',
    }
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, xml in parts.items():
            archive.writestr(name, '<?xml version="1.0" encoding="UTF-8"?>' + xml)
    return out.getvalue()


@pytest.fixture
def no_reader_process(monkeypatch):
    """Fails the test if the spreadsheet reader process is started at all."""

    def _refuse(*args, **kwargs):
        raise AssertionError("the file reached the reader")

    monkeypatch.setattr(readers.subprocess, "run", _refuse)


@pytest.mark.parametrize(
    ("cells", "expected"),
    [
        (
            {"A1": "Elev-ID", "XFD1048576": "x"},
            "Arket «Elever» har indhold i celle XFD1048576, men et regneark må højst have "
            "200 kolonner (A til GR).",
        ),
        (
            {"XFD1048576": "x"},
            "Arket «Elever» har indhold i celle XFD1048576, men et regneark må højst have "
            "200 kolonner (A til GR).",
        ),
        (
            {"A1": "Elev-ID", "GR150000": "x"},
            "Arket «Elever» har 2 udfyldte celler, men de spænder over A1:GR150000 "
            "(30.000.000 celler); den nederste er GR150000",
        ),
        (
            {"A1": "Elev-ID", "B300000": "x"},
            "Arket «Elever» har indhold i celle B300000, men en fil må højst have 200.000 rækker.",
        ),
    ],
)
def test_a_tiny_file_with_a_far_away_cell_is_refused_before_it_is_read(
    tmp_path, no_reader_process, cells, expected
):
    path = tmp_path / "elever.xlsx"
    path.write_bytes(sparse_xlsx(cells))
    assert path.stat().st_size < 2000
    peak_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    with pytest.raises(ImportRefused) as refused:
        read_file(path)
    assert refused.value.message.startswith(expected)
    grown_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - peak_before
    assert grown_kb < 50 * 1024  # the scan streams; nothing near the sheet's extent is held


def test_a_lying_dimension_element_is_ignored_and_the_real_cells_are_read(tmp_path):
    path = tmp_path / "elever.xlsx"
    path.write_bytes(sparse_xlsx({"A1": "Elev-ID", "B2": "x"}, dimension="A1:XFD1048576"))
    sheet = read_file(path)
    assert sheet.headers == ["Elev-ID", ""]
    assert sheet.rows == [(2, ["", "x"])]


def test_cells_without_references_and_with_a_namespace_prefix_are_read(tmp_path):
    def cell(text):
        return f'<x:c t="inlineStr"><x:is><x:t>{text}</x:t></x:is></x:c>'

    rows = "".join(
        f"<x:row>{cell(f'E{n}')}{cell('Anna')}{cell('Holm')}</x:row>" for n in range(300)
    )
    xml = f'<x:worksheet xmlns:x="{MAIN}"><x:sheetData>{rows}</x:sheetData></x:worksheet>'
    path = tmp_path / "elever.xlsx"
    path.write_bytes(sparse_xlsx({}, sheet_xml=xml))
    sheet = read_file(path)
    assert sheet.headers == ["E0", "Anna", "Holm"]
    assert len(sheet.rows) == 299 and sheet.rows[-1] == (300, ["E299", "Anna", "Holm"])


def test_the_preview_refuses_the_sparse_file_with_the_danish_message(hillerod, tmp_path):
    path = tmp_path / "elever.xlsx"
    path.write_bytes(sparse_xlsx({"A1": "Elev-ID", "GR150000": "x"}))
    batch = import_batch_start(municipality=hillerod, actor=None, path=path)
    batch = import_batch_preview(batch=batch, path=path)
    assert batch.status == BatchStatus.REFUSED
    assert batch.message.startswith("Arket «Elever» har 2 udfyldte celler")
    assert "GR150000" in batch.message


def test_the_reader_process_limit_refuses_what_the_scan_lets_through(
    tmp_path, settings, monkeypatch
):
    # Switch the scan's limits off, as if a file found a way past them: the reader process
    # hits its memory limit and the file is refused, while this process carries on.
    monkeypatch.setattr(sheet_extent, "MAX_CELLS", 10**12)
    monkeypatch.setattr(sheet_extent, "SPARSE_MIN_AREA", 10**12)
    settings.IMPORT_READER_MEMORY_MB = 300
    path = tmp_path / "elever.xlsx"
    path.write_bytes(sparse_xlsx({"A1": "Elev-ID", "GR150000": "x"}))
    with pytest.raises(ImportRefused) as refused:
        read_file(path)
    assert refused.value.message.startswith(
        "Regnearket kræver mere hukommelse at læse, end portalen tillader, og er afvist."
    )


def test_an_ordinary_workbook_is_read_through_the_reader_process(tmp_path, xlsx_file):
    sheet = read_file(xlsx_file([trainee_row("E1"), trainee_row("E2")]))
    assert sheet.headers == TRAINEE_HEADERS
    assert [cells[0] for _number, cells in sheet.rows] == ["E1", "E2"]


# --- a check whose worker died ------------------------------------------------------------


def dead_pid() -> int:
    """The id of a process that has ended (started and waited for here)."""
    process = subprocess.Popen([sys.executable, "-c", "pass"])  # noqa: S603
    process.wait()
    return process.pid


@pytest.fixture
def checking_batch(hillerod):
    """A batch "being checked" by a worker, with its uploaded bytes still stored."""

    def _make(*, pid: int, host: str | None = None, minutes_ago: int = 0, started: str = ""):
        batch = ImportBatch.objects.create(
            municipality=hillerod,
            file_name="elever.xlsx",
            status=BatchStatus.PROCESSING,
            progress=10,
            worker_host=host if host is not None else socket.gethostname(),
            worker_pid=pid,
            worker_started=started,
            heartbeat_at=timezone.now() - timezone.timedelta(minutes=minutes_ago),
        )
        content = b"PK\x03\x04 not read"
        ImportUpload.objects.create(
            batch=batch, extension="xlsx", size=len(content), sha256="0" * 64, content=content
        )
        return batch

    return _make


def test_a_check_whose_worker_died_is_failed_by_the_watchdog_and_its_file_deleted(
    checking_batch, run_worker
):
    batch = checking_batch(pid=dead_pid())
    alive = checking_batch(pid=os.getpid(), started=process_started(os.getpid()))
    # A later process that got the dead worker's id does not keep its check alive.
    reused = checking_batch(pid=os.getpid(), started="1")
    ImportUpload.objects.filter(batch__in=[alive, reused]).delete()
    watch_import_checks.enqueue()
    run_worker()
    batch.refresh_from_db()
    assert batch.status == BatchStatus.REFUSED
    assert batch.message.startswith(
        "Kontrollen af filen blev afbrudt, fordi processen, der læste filen, stoppede "
        "undervejs. Filen er slettet, og intet er ændret."
    )
    assert not ImportUpload.objects.filter(batch=batch).exists()
    assert AuditEntry.objects.filter(action="imports.batch.check_failed").count() == 2
    reused.refresh_from_db()
    assert reused.status == BatchStatus.REFUSED
    alive.refresh_from_db()
    assert alive.status == BatchStatus.PROCESSING  # its worker still runs


def test_a_check_silent_for_too_long_on_another_host_is_failed(checking_batch, settings):
    settings.IMPORT_CHECK_STALE_MINUTES = 10
    fresh = checking_batch(pid=12345, host="other-host", minutes_ago=2)
    stalled = checking_batch(pid=12345, host="other-host", minutes_ago=11)
    assert import_batches_release_stuck() == 1
    stalled.refresh_from_db()
    fresh.refresh_from_db()
    assert stalled.status == BatchStatus.REFUSED
    assert stalled.message.startswith(
        "Kontrollen af filen blev afbrudt, fordi den ikke kom videre i 10 minutter."
    )
    assert fresh.status == BatchStatus.PROCESSING


def test_a_queued_check_whose_task_failed_is_failed(hillerod):
    from django_tasks_db.models import DBTaskResult

    from apps.imports.tasks import preview_import_batch

    batch = ImportBatch.objects.create(municipality=hillerod, file_name="elever.xlsx")
    result = preview_import_batch.enqueue(batch.pk)
    DBTaskResult.objects.filter(id=result.id).update(status="FAILED")
    batch.task_id = str(result.id)
    batch.save()
    assert import_batches_release_stuck() == 1
    batch.refresh_from_db()
    assert batch.status == BatchStatus.REFUSED
    assert "stoppede undervejs" in batch.message


def test_the_watchdog_is_booked_once_and_by_the_nightly_booking():
    from django_tasks_db.models import DBTaskResult

    from apps.scheduling.nightly import nightly_schedule

    nightly_schedule()
    first = watch_schedule()
    assert watch_schedule() == first
    booked = DBTaskResult.objects.filter(task_path=WATCH_PATH, status="READY")
    assert booked.count() == 1
    assert first > timezone.now()


# --- csv ------------------------------------------------------------------------------------


def tab_text(rows: list[list]) -> str:
    return "\r\n".join("\t".join("" if c is None else str(c) for c in row) for row in rows)


@pytest.mark.parametrize("name", ["elever.csv", "elever.txt"])
@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
def test_excel_unicode_text_utf16_with_bom_is_read(hillerod, tmp_path, encoding, name):
    # Excel's "Unicode-tekst" is utf-16 with a BOM, tab-separated, saved as .txt.
    from tests.imports.test_services import run

    row = trainee_row("E7", Startdato="01-02-2023", **{"Forventet slutdato": "01-08-2024"})
    text = tab_text([TRAINEE_HEADERS, row]) + "\r\n"
    bom = b"\xff\xfe" if encoding == "utf-16-le" else b"\xfe\xff"
    path = tmp_path / name
    path.write_bytes(bom + text.encode(encoding))
    run(hillerod, path)
    trainee = Trainee.objects.get(hr_id="E7")
    assert trainee.department.name == "Ældre og Sundhed"


def test_a_field_too_long_for_csv_is_refused_in_danish(tmp_path):
    path = tmp_path / "elever.csv"
    content = 'Elev-ID;Navn\r\nE1;Anna\r\nE2;"' + "x" * 140_000 + "\r\n"
    path.write_bytes(content.encode("utf-8"))
    with pytest.raises(ImportRefused) as refused:
        read_file(path)
    message = refused.value.message
    assert message.startswith("Csv-filen kan ikke læses: et felt i linje 3 er længere end")
    assert "field" not in message and "limit" not in message


def test_a_check_failed_by_the_watchdog_stays_failed_when_it_finishes_late(
    hillerod, xlsx_file, monkeypatch
):
    from apps.imports import analysis

    real_set_progress = analysis.set_progress

    def watchdog_strikes(batch, percent):
        real_set_progress(batch, percent)
        if percent == 50:  # the watchdog fails the check while it is still running
            ImportBatch.objects.filter(pk=batch.pk).update(status=BatchStatus.REFUSED)

    monkeypatch.setattr(analysis, "set_progress", watchdog_strikes)
    path = xlsx_file([trainee_row("E1")])
    batch = import_batch_start(municipality=hillerod, actor=None, path=path)
    batch = import_batch_preview(batch=batch, path=path)
    batch.refresh_from_db()
    assert batch.status == BatchStatus.REFUSED
    assert (
        batch.message
        == "Kontrollen af filen blev afbrudt og er ikke gennemført. Upload filen igen."
    )
    assert not batch.rows.exists()


def test_stored_uploads_left_behind_are_swept_after_six_hours(checking_batch):
    from apps.imports.retention import import_uploads_sweep

    in_use = checking_batch(pid=os.getpid(), started=process_started(os.getpid()))
    orphan = checking_batch(pid=os.getpid(), started=process_started(os.getpid()))
    recent = checking_batch(pid=os.getpid(), started=process_started(os.getpid()))
    ImportBatch.objects.filter(pk__in=[orphan.pk, recent.pk]).update(status=BatchStatus.REFUSED)
    seven_hours_ago = timezone.now() - timezone.timedelta(hours=7)
    ImportUpload.objects.filter(batch__in=[in_use, orphan]).update(created_at=seven_hours_ago)
    assert import_uploads_sweep() == 1
    assert set(ImportUpload.objects.values_list("batch_id", flat=True)) == {in_use.pk, recent.pk}
