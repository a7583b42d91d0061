"""Read one worksheet of an xlsx in a separate process with a hard memory limit.

Run as `python -I sheet_child.py <path> <sheet name> <memory bytes> <cpu seconds>` by
`readers.read_sheet_bounded`; it prints the sheet's rows on stdout, pickled in chunks of
CHUNK_ROWS, each after its length (8 bytes, big-endian); only exit status 0 means all of
them were written. The address space and CPU time are limited before the spreadsheet
library is even imported, so a file that would make the reader allocate without bound (a
cell far outside the table, a malformed part) ends this process (with a MemoryError, an
allocation abort or SIGXCPU) and never the task worker that started it; the worker then
refuses the file.

Deliberately free of Django: it only reads, and it must start quickly.
"""

import contextlib
import pickle
import resource
import sys

EXIT_MEMORY = 3
EXIT_UNREADABLE = 4
CHUNK_ROWS = 5000


def main(argv: list[str]) -> int:
    path, sheet_name, memory, cpu = argv[1], argv[2], int(argv[3]), int(argv[4])
    for limit, value in ((resource.RLIMIT_AS, memory), (resource.RLIMIT_CPU, cpu)):
        # A system without the limit (macOS has no address-space limit) still reads: dev only.
        with contextlib.suppress(ValueError, OSError):
            resource.setrlimit(limit, (value, value))
    try:
        from python_calamine import CalamineWorkbook

        workbook = CalamineWorkbook.from_path(path)
        sheet = workbook.get_sheet_by_name(sheet_name)
        rows = sheet.to_python(skip_empty_area=False)
        out = sys.stdout.buffer
        # In chunks, each its length and then its pickle, so the importer works on one
        # while the next is packed.
        for start in range(0, len(rows), CHUNK_ROWS):
            payload = pickle.dumps(rows[start : start + CHUNK_ROWS], pickle.HIGHEST_PROTOCOL)
            out.write(len(payload).to_bytes(8, "big"))
            out.write(payload)
        out.flush()
    except MemoryError:
        return EXIT_MEMORY
    except BaseException:  # noqa: BLE001 - the reader also raises pyo3 panics (BaseException)
        return EXIT_UNREADABLE
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
