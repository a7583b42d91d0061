"""Guard and read an uploaded spreadsheet (STYLE.md B8, stage 1).

Every check that bounds time and memory runs before a parser sees the file: the size
limit, the real type (an xlsx is a zip with a workbook; a csv is text), the zip's
uncompressed sizes and compression ratios (zip bombs), and any DOCTYPE or entity
declaration in the workbook's XML (defusedxml refuses them). Only then is the sheet read,
with python-calamine for xlsx and the csv module for csv.

The result is a `Sheet`: the header cells and the data rows as `(excel_row_number, cells)`.
A problem is raised as `ImportRefused` with a Danish message; nothing is stored.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from defusedxml import DefusedXmlException
from defusedxml import ElementTree as DefusedET
from django.conf import settings
from django.utils.translation import gettext as _
from python_calamine import CalamineError, CalamineWorkbook

# An xlsx worksheet is repetitive XML; real exports compress 5-40x. Anything far beyond
# that, or parts that add up to more than the reader may hold in memory, is refused.
MAX_UNCOMPRESSED_BYTES = 250 * 1024 * 1024
MAX_COMPRESSION_RATIO = 150
MAX_ZIP_ENTRIES = 2000
MAX_ROWS = 200_000
MAX_COLUMNS = 200
XML_PROLOG_SCAN_BYTES = 64 * 1024

_DOCTYPE = re.compile(rb"<!\s*(doctype|entity)", re.IGNORECASE)


class ImportRefused(Exception):
    """The file as a whole cannot be imported; `message` is shown to the user in Danish."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass
class Sheet:
    """What a reader hands on: header cells and the data rows with their Excel row numbers."""

    headers: list[str]
    rows: list[tuple[int, list]] = field(default_factory=list)
    sheet_name: str = ""


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
    """The extension (xlsx or csv) and the file's first bytes must agree; returns the type."""
    ext = extension_of(name)
    if ext not in {"xlsx", "csv"}:
        raise ImportRefused(_("Kun xlsx- og csv-filer kan importeres."))
    is_zip = head.startswith(b"PK\x03\x04")
    if ext == "xlsx" and not is_zip:
        raise ImportRefused(_("Filen hedder .xlsx, men er ikke et Excel-regneark."))
    if ext == "csv" and (is_zip or b"\x00" in head or head.startswith(b"\xd0\xcf\x11\xe0")):
        raise ImportRefused(
            _("Filen hedder .csv, men er ikke en tekstfil med kommaseparerede data.")
        )
    return ext


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
        workbook = CalamineWorkbook.from_path(str(path))
        names = workbook.sheet_names
        if not names:
            raise ImportRefused(_("Regnearket har ingen ark."))
        sheet_name = pick_sheet(names, kind_hint)
        sheet = workbook.get_sheet_by_name(sheet_name)
        if sheet.height > MAX_ROWS + 1:
            raise ImportRefused(_too_many_rows())
        if sheet.width > MAX_COLUMNS:
            raise ImportRefused(_("Regnearket har for mange kolonner."))
        rows = sheet.to_python(skip_empty_area=False)
    except ImportRefused:
        raise
    except (CalamineError, Exception) as exc:  # noqa: BLE001 - the reader's errors vary
        raise ImportRefused(_("Filen er ikke et gyldigt Excel-regneark (xlsx).")) from exc
    return _sheet_from_rows(rows, sheet_name)


def _too_many_rows() -> str:
    return _("Filen har for mange rækker (højst %(n)s).") % {"n": f"{MAX_ROWS:,}".replace(",", ".")}


def _sheet_from_rows(rows: list[list], sheet_name: str = "") -> Sheet:
    """Find the header row (the first non-empty row) and number the rest as Excel does."""
    for index, row in enumerate(rows):
        if any(_filled(cell) for cell in row):
            headers = ["" if cell is None else str(cell).strip() for cell in row]
            data = [
                (number + 1, list(cells)) for number, cells in enumerate(rows) if number > index
            ]
            return Sheet(headers=headers, rows=data, sheet_name=sheet_name)
    raise ImportRefused(_("Filen indeholder ingen overskrifter eller data."))


def _filled(cell) -> bool:
    return cell is not None and (not isinstance(cell, str) or cell.strip() != "")


# --- csv ---------------------------------------------------------------------------------


def decode_text(raw: bytes) -> str:
    """UTF-8 (with or without BOM), else Windows-1252, as Danish Excel writes csv."""
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


def _read_csv(raw: bytes) -> Sheet:
    text = decode_text(raw)
    if "\x00" in text:
        raise ImportRefused(not_spreadsheet_message())
    first_line = next((line for line in text.splitlines() if line.strip()), "")
    if not first_line:
        raise ImportRefused(_("Filen indeholder ingen overskrifter eller data."))
    delimiter = sniff_delimiter(first_line)
    try:
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
        rows = []
        for row in reader:
            if len(rows) > MAX_ROWS + 1:
                raise ImportRefused(_too_many_rows())
            if len(row) > MAX_COLUMNS:
                raise ImportRefused(_("Regnearket har for mange kolonner."))
            rows.append(row)
    except csv.Error as exc:
        raise ImportRefused(_("Csv-filen kan ikke læses: %(error)s") % {"error": exc}) from exc
    # csv rows are counted by physical record, which is what Excel shows when it opens the file.
    return _sheet_from_rows(rows)
