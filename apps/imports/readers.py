"""Guard and read an uploaded spreadsheet (STYLE.md B8, stage 1).

Every check that bounds time and memory runs before a parser sees the file: the size
limit, the real type (an xlsx is a zip with a workbook; a csv is text), the zip's
uncompressed sizes and compression ratios (zip bombs), and any DOCTYPE or entity
declaration in the workbook's XML (defusedxml refuses them). Then the sheet is read
with python-calamine in a child process under a memory and time limit (`sheet_child.py`),
so even an unforeseen blow-up refuses the file instead of ending the task worker; while
it reads, the chosen sheet's XML is streamed once here to find where its filled cells
really are (`sheet_extent.py`), and a sheet that scan refuses stops the child and is
refused with its message. The child's rows are used only after the scan has passed. csv
is read with the csv module, bounded by rows, columns and cells.

The result is a `Sheet`: the header cells and the data rows as `(excel_row_number, cells)`.
A problem is raised as `ImportRefused` (`errors.py`) with a Danish message; nothing is
stored.
"""

from __future__ import annotations

import csv
import io
import logging
import os
import pickle
import posixpath
import re
import subprocess
import sys
import threading
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from defusedxml import DefusedXmlException
from defusedxml import ElementTree as DefusedET
from django.conf import settings
from django.utils.translation import gettext as _

from apps.imports.cpr_finder import CprFinder
from apps.imports.errors import ImportRefused
from apps.imports.sheet_child import EXIT_UNREADABLE as CHILD_EXIT_UNREADABLE
from apps.imports.sheet_extent import (
    MAX_CELLS,
    MAX_COLUMNS,
    MAX_ROWS,
    danish_int,
    scan_sheet,
    too_many_rows_message,
)

logger = logging.getLogger(__name__)

# An xlsx worksheet is repetitive XML; real exports compress 5-40x. Anything far beyond
# that, or parts that add up to more than the reader may hold in memory, is refused.
MAX_UNCOMPRESSED_BYTES = 250 * 1024 * 1024
MAX_COMPRESSION_RATIO = 150
MAX_ZIP_ENTRIES = 2000
XML_PROLOG_SCAN_BYTES = 64 * 1024

_DOCTYPE = re.compile(rb"<!\s*(doctype|entity)", re.IGNORECASE)


@dataclass
class Sheet:
    """What a reader hands on: header cells and the data rows with their Excel row numbers."""

    headers: list[str]
    rows: list[tuple[int, list]] = field(default_factory=list)
    sheet_name: str = ""
    cpr: CprFinder | None = None  # its CPR columns, when searched as the rows were read


def _max_bytes() -> int:
    return settings.IMPORT_MAX_UPLOAD_BYTES


def size_message() -> str:
    megabytes = _max_bytes() // (1024 * 1024)
    return _("Filen er for stor. Den må højst fylde %(mb)s MB.") % {"mb": megabytes}


def not_spreadsheet_message() -> str:
    return _("Filen er ikke et regneark. Upload en xlsx- eller csv-fil.")


def extension_of(name: str) -> str:
    return Path(name or "").suffix.lower().lstrip(".")


def check_content_matches_extension(head: bytes, name: str) -> str:
    """The extension and the file's first bytes must agree; returns the type ("xlsx" or
    "csv"). A .txt file is read as text like a .csv: Excel saves "Unicode-tekst" (utf-16,
    tab-separated) under that name."""
    ext = extension_of(name)
    if ext not in {"xlsx", "csv", "txt"}:
        raise ImportRefused(
            _("Kun xlsx-, csv- og txt-filer (Excels «Unicode-tekst») kan importeres.")
        )
    is_zip = head.startswith(b"PK\x03\x04")
    if ext == "xlsx" and not is_zip:
        raise ImportRefused(_("Filen hedder .xlsx, men er ikke et Excel-regneark."))
    binary = b"\x00" in head and not is_utf16_text(head)
    if ext in {"csv", "txt"} and (is_zip or binary or head.startswith(b"\xd0\xcf\x11\xe0")):
        raise ImportRefused(
            _("Filen hedder .%(ext)s, men er ikke en tekstfil med kommaseparerede data.")
            % {"ext": ext}
        )
    return "xlsx" if ext == "xlsx" else "csv"


def read_file(path: Path | str, name: str | None = None, kind_hint: str | None = None) -> Sheet:
    """Guard and read the file at `path` (named `name` by the uploader)."""
    path = Path(path)
    name = name or path.name
    size = path.stat().st_size
    if size > _max_bytes():
        raise ImportRefused(size_message())
    if size == 0:
        raise ImportRefused(_("Filen er tom."))
    with path.open("rb") as handle:
        head = handle.read(8192)
    ext = check_content_matches_extension(head, name)
    if ext == "xlsx":
        return _read_xlsx(path, kind_hint)
    return _read_csv(path.read_bytes())


# --- xlsx --------------------------------------------------------------------------------


def _guard_zip(path: Path) -> None:
    """Refuse archives whose parts inflate far beyond their size, or whose XML declares a
    DOCTYPE or entities, before any XML parser reads them."""
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as exc:
        raise ImportRefused(_("Filen er ikke et gyldigt Excel-regneark (xlsx).")) from exc
    with archive:
        entries = archive.infolist()
        if len(entries) > MAX_ZIP_ENTRIES:
            raise ImportRefused(_("Regnearket indeholder for mange dele til at kunne læses."))
        names = {entry.filename for entry in entries}
        if "[Content_Types].xml" not in names or "xl/workbook.xml" not in names:
            raise ImportRefused(_("Filen er ikke et gyldigt Excel-regneark (xlsx)."))
        total = 0
        for entry in entries:
            total += entry.file_size
            ratio = entry.file_size / max(entry.compress_size, 1)
            if total > MAX_UNCOMPRESSED_BYTES or (
                entry.file_size > 1024 * 1024 and ratio > MAX_COMPRESSION_RATIO
            ):
                raise ImportRefused(
                    _(
                        "Regnearket fylder langt mere udpakket end som fil og afvises af "
                        "sikkerhedshensyn."
                    )
                )
        try:
            for entry in entries:
                if not entry.filename.endswith((".xml", ".rels")):
                    continue
                with archive.open(entry) as part:
                    prolog = part.read(XML_PROLOG_SCAN_BYTES)
                if _DOCTYPE.search(prolog):
                    raise ImportRefused(_xml_refusal())
            for small in ("[Content_Types].xml", "xl/workbook.xml"):
                DefusedET.fromstring(archive.read(small), forbid_dtd=True)
        except ImportRefused:
            raise
        except DefusedXmlException as exc:
            raise ImportRefused(_xml_refusal()) from exc
        except Exception as exc:  # noqa: BLE001 - any decompression/XML error means broken file
            raise ImportRefused(_("Filen er ikke et gyldigt Excel-regneark (xlsx).")) from exc


def _xml_refusal() -> str:
    return _("Regnearket indeholder XML-erklæringer (DOCTYPE/ENTITY), som ikke er tilladt.")


SHEET_WORDS = {
    "trainees": ("elev", "studerende"),
    "placements": ("praktik", "oplæring"),
    "absence": ("fravær", "fravaer", "sygefravær"),
    "supervisors": ("vejleder",),
}


def pick_sheet(sheet_names: list[str], kind_hint: str | None) -> str:
    """The sheet named like the kind, else the first sheet."""
    kinds = [kind_hint] if kind_hint else list(SHEET_WORDS)
    for kind in kinds:
        for name in sheet_names:
            lowered = name.casefold()
            if any(word in lowered for word in SHEET_WORDS.get(kind, ())):
                return name
    return sheet_names[0]


def _read_xlsx(path: Path, kind_hint: str | None) -> Sheet:
    _guard_zip(path)
    try:
        with zipfile.ZipFile(path) as archive:
            parts = sheet_parts(archive)
            if not parts:
                raise ImportRefused(_("Regnearket har ingen ark."))
            sheet_name = pick_sheet(list(parts), kind_hint)
            part = parts[sheet_name]
            if part not in archive.NameToInfo:
                raise ImportRefused(_("Filen er ikke et gyldigt Excel-regneark (xlsx)."))
            # The bounded reader starts at once and reads while the sheet's extent is
            # scanned here: a refusal by the scan stops it, and its rows are used only
            # once the scan has passed the sheet.
            reader = BoundedRead(path, sheet_name)
            try:
                with archive.open(part) as stream:
                    scan_sheet(stream, sheet_name)
            except BaseException:
                reader.stop()
                raise
    except ImportRefused:
        raise
    except Exception as exc:  # noqa: BLE001 - any zip/XML error means a broken file
        raise ImportRefused(_("Filen er ikke et gyldigt Excel-regneark (xlsx).")) from exc
    search = _CprSearch()
    rows = reader.rows(consume=search.add)
    if len(rows) > MAX_ROWS + 1:
        raise ImportRefused(too_many_rows_message())
    if rows and max(map(len, rows)) > MAX_COLUMNS:
        raise ImportRefused(_("Regnearket har for mange kolonner."))
    sheet = _sheet_from_rows(rows, sheet_name)
    sheet.cpr = search.finder
    return sheet


class _CprSearch:
    """The sheet's CPR columns searched chunk by chunk while the reader sends the rest
    (`cpr_finder.CprFinder`): from the row after the header row (`header_index`, as
    `_sheet_from_rows` finds it), across the header's width."""

    def __init__(self) -> None:
        self.finder: CprFinder | None = None

    def add(self, chunk: list[list]) -> None:
        if self.finder is None:
            index = header_index(chunk)
            if index is None:
                return
            self.finder = CprFinder(len(chunk[index]))
            chunk = chunk[index + 1 :]
        self.finder.add(chunk)


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def sheet_parts(archive: zipfile.ZipFile) -> dict[str, str]:
    """Sheet name → its part in the archive, in workbook order (workbook.xml + its rels)."""
    workbook = DefusedET.fromstring(archive.read("xl/workbook.xml"), forbid_dtd=True)
    try:
        rels_xml = archive.read("xl/_rels/workbook.xml.rels")
    except KeyError:
        return {}
    relations = DefusedET.fromstring(rels_xml, forbid_dtd=True)
    targets = {}
    for rel in relations:
        if _local(rel.tag) != "Relationship":
            continue
        target = rel.get("Target") or ""
        if target.startswith("/"):
            target = target.lstrip("/")
        else:
            target = posixpath.normpath(posixpath.join("xl", target))
        targets[rel.get("Id")] = target
    parts: dict[str, str] = {}
    for element in workbook.iter():
        if _local(element.tag) != "sheet":
            continue
        rel_id = next((v for k, v in element.attrib.items() if _local(k) == "id"), None)
        name = element.get("name")
        if name and rel_id in targets:
            parts[name] = targets[rel_id]
    return parts


# --- reading in a child process with a memory limit ----------------------------------------

CHILD_SCRIPT = Path(__file__).with_name("sheet_child.py")


def read_sheet_bounded(path: Path, sheet_name: str) -> list[list]:
    """The sheet's rows, read by `sheet_child.py` in its own process under an address-space
    limit of IMPORT_READER_MEMORY_MB and a time limit of IMPORT_READER_SECONDS. Whatever
    the file makes the reader do, this process only ever sees rows or a refusal."""
    return BoundedRead(path, sheet_name).rows()


class BoundedRead:
    """`read_sheet_bounded` started now and collected with `rows()` (or ended with
    `stop()`), so this process can do other work while the child reads."""

    def __init__(self, path: Path, sheet_name: str) -> None:
        memory = settings.IMPORT_READER_MEMORY_MB * 1024 * 1024
        self.seconds = settings.IMPORT_READER_SECONDS
        command = [sys.executable, "-I", str(CHILD_SCRIPT), str(path), sheet_name, str(memory)]
        command.append(str(self.seconds))
        self.process = subprocess.Popen(  # noqa: S603 - our own script, arguments are not a shell
            command,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            env={"PATH": os.environ.get("PATH", ""), "LANG": "C.UTF-8"},
        )

    def stop(self) -> None:
        self.process.kill()
        self.process.communicate()

    def rows(self, consume=None) -> list[list]:
        """The sheet's rows; `consume` (if given) is called with each chunk as it arrives,
        while the child packs the next. Only a child that ended well gives rows: a chunk
        consumed before a failure is thrown away with the rest."""
        seconds = self.seconds
        expired = threading.Event()

        def expire() -> None:
            expired.set()
            self.process.kill()

        timer = threading.Timer(seconds + 10, expire)
        timer.start()
        rows: list[list] = []
        try:
            stream = self.process.stdout
            while len(head := stream.read(8)) == 8:
                size = int.from_bytes(head, "big")
                payload = stream.read(size)
                if len(payload) < size:  # the child stopped mid-chunk: its exit status says why
                    break
                chunk = pickle.loads(payload)  # noqa: S301 - written by our own reader process
                rows.extend(chunk)
                if consume is not None:
                    consume(chunk)
            self.process.wait()
        except BaseException:
            self.stop()
            raise
        finally:
            timer.cancel()
            self.process.stdout.close()
        if expired.is_set():
            raise ImportRefused(
                _(
                    "Regnearket tog for lang tid at læse (over %(seconds)s sekunder) og er "
                    "afvist. Tjek, at arket ikke har indhold langt uden for tabellen."
                )
                % {"seconds": seconds}
            )
        returncode = self.process.returncode
        if returncode == CHILD_EXIT_UNREADABLE:
            raise ImportRefused(_("Filen er ikke et gyldigt Excel-regneark (xlsx)."))
        if returncode != 0:
            logger.warning(
                "Spreadsheet reader stopped with exit code %s (memory limit %s MB)",
                returncode,
                settings.IMPORT_READER_MEMORY_MB,
            )
            raise ImportRefused(
                _(
                    "Regnearket kræver mere hukommelse at læse, end portalen tillader, og er "
                    "afvist. Tjek, at arket ikke har indhold eller formatering langt uden for "
                    "tabellen, og gem det igen som xlsx."
                )
            )
        return rows


def header_index(rows: list[list]) -> int | None:
    """The header row's index: the first row with a filled cell (None: no such row)."""
    return next(
        (index for index, row in enumerate(rows) if any(_filled(cell) for cell in row)), None
    )


def _sheet_from_rows(rows: list[list], sheet_name: str = "") -> Sheet:
    """Find the header row (`header_index`) and number the rest as Excel does."""
    index = header_index(rows)
    if index is None:
        raise ImportRefused(_("Filen indeholder ingen overskrifter eller data."))
    headers = ["" if cell is None else str(cell).strip() for cell in rows[index]]
    data = list(enumerate(rows[index + 1 :], start=index + 2))
    return Sheet(headers=headers, rows=data, sheet_name=sheet_name)


def _filled(cell) -> bool:
    return cell is not None and (not isinstance(cell, str) or cell.strip() != "")


# --- csv ---------------------------------------------------------------------------------


UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")


def is_utf16_text(head: bytes) -> bool:
    """Excel's "Unicode text" export: UTF-16 with a byte order mark."""
    return head.startswith(UTF16_BOMS)


def decode_text(raw: bytes) -> str:
    """UTF-16 with a byte order mark (Excel's "Unicode text"), UTF-8 with or without BOM,
    else Windows-1252, as Danish Excel writes csv."""
    if raw.startswith(b"\xff\xfe"):
        return raw[2:].decode("utf-16-le", errors="replace")
    if raw.startswith(b"\xfe\xff"):
        return raw[2:].decode("utf-16-be", errors="replace")
    if raw.startswith(b"\xef\xbb\xbf"):
        return raw[3:].decode("utf-8", errors="replace")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("cp1252", errors="replace")


def sniff_delimiter(first_line: str) -> str:
    counts = {delimiter: first_line.count(delimiter) for delimiter in (";", ",", "\t")}
    best = max(counts, key=counts.get)
    return best if counts[best] else ";"


def _csv_error_message(exc: csv.Error, line: int) -> str:
    """csv's own error texts are English; HR gets the reason in Danish with the line."""
    text = str(exc)
    if "field larger than field limit" in text:
        return _(
            "Csv-filen kan ikke læses: et felt i linje %(line)s er længere end de tilladte "
            "%(limit)s tegn. Tjek, at filen er gemt som CSV med semikolon eller komma som "
            "skilletegn, og at anførselstegn er sat rigtigt."
        ) % {"line": danish_int(line), "limit": danish_int(csv.field_size_limit())}
    if "new-line character" in text or "unquoted field" in text:
        return _(
            "Csv-filen kan ikke læses: linje %(line)s har et linjeskift inde i et felt uden "
            "anførselstegn. Gem filen igen fra Excel som CSV."
        ) % {"line": danish_int(line)}
    return _(
        "Csv-filen kan ikke læses ved linje %(line)s. Gem filen igen fra Excel som CSV "
        "(semikolonsepareret)."
    ) % {"line": danish_int(line)}


def _read_csv(raw: bytes) -> Sheet:
    text = decode_text(raw)
    if "\x00" in text:
        raise ImportRefused(not_spreadsheet_message())
    first_line = next((line for line in text.splitlines() if line.strip()), "")
    if not first_line:
        raise ImportRefused(_("Filen indeholder ingen overskrifter eller data."))
    delimiter = sniff_delimiter(first_line)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows = []
    cells = 0
    try:
        for row in reader:
            if len(rows) > MAX_ROWS + 1:
                raise ImportRefused(too_many_rows_message())
            if len(row) > MAX_COLUMNS:
                raise ImportRefused(
                    _("Linje %(line)s i csv-filen har flere end %(max)s kolonner.")
                    % {"line": danish_int(reader.line_num), "max": MAX_COLUMNS}
                )
            cells += len(row)
            if cells > MAX_CELLS:
                raise ImportRefused(too_many_rows_message())
            rows.append(row)
    except csv.Error as exc:
        raise ImportRefused(_csv_error_message(exc, max(reader.line_num, 1))) from exc
    # csv rows are counted by physical record, which is what Excel shows when it opens the file.
    return _sheet_from_rows(rows)
