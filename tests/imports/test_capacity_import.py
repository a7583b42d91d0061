"""The fifth kind of file, Kapacitet: preview, confirm, undo, Danish row errors and the CLI."""

import datetime
import json

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command

from apps.core.models import AuditEntry
from apps.imports.errors import ImportRefused
from apps.imports.models import BatchStatus, ImportRow, RowAction
from apps.imports.services import import_batch_commit, import_batch_undo
from apps.organisation.models import Workplace
from apps.placements.capacity_services import capacity_update
from apps.placements.models import WorkplaceCapacity
from apps.trainees.models import Programme
from tests.imports.test_services import errors, preview

pytestmark = pytest.mark.django_db

HEADERS = ["Arbejdsplads", "Uddannelse", "Fra", "Til", "Pladser"]
FEB, JUN = datetime.date(2027, 2, 1), datetime.date(2027, 6, 30)


def sample_rows():
    """The sample file: three rows, dates as date cells and as Danish text."""
    return [
        ["Plejecenter Bakkehuset", "SSA", FEB, JUN, 3],
        ["Hjemmeplejen Øst", "Social- og sundhedsassistent", "01.02.2027", "30.06.2027", 2],
        ["Plejecenter Bakkehuset", "SSH", "01-02-2027", "30-06-2027", 1],
    ]


def stored():
    return sorted(
        WorkplaceCapacity.objects.values_list(
            "workplace__name", "programme__code", "start_date", "end_date", "places"
        )
    )


@pytest.fixture
def bakkehuset_ssa(hillerod):
    return WorkplaceCapacity.objects.create(
        municipality=hillerod,
        workplace=Workplace.objects.get(name="Plejecenter Bakkehuset"),
        programme=Programme.objects.get(code="SSA"),
        start_date=FEB,
        end_date=JUN,
        places=5,
    )


def test_preview_confirm_and_undo_round_trip(hillerod, hr, xlsx_file, bakkehuset_ssa):
    keep = WorkplaceCapacity.objects.create(
        municipality=hillerod,
        workplace=Workplace.objects.get(name="Nordskolen"),
        programme=Programme.objects.get(code="PAU"),
        start_date=FEB,
        end_date=JUN,
        places=4,
    )
    before = stored()
    path = xlsx_file(sample_rows(), headers=HEADERS, name="kapacitet.xlsx", sheet="Kapacitet")
    batch = preview(hillerod, path)
    assert batch.status == BatchStatus.READY, batch.message
    assert batch.kind == "capacity"
    actions = dict(ImportRow.objects.filter(batch=batch).values_list("row_number", "action"))
    assert actions == {2: RowAction.CHANGED, 3: RowAction.NEW, 4: RowAction.NEW}
    changed = ImportRow.objects.get(batch=batch, row_number=2)
    assert changed.changes == {"places": ["5", "3"]}
    assert stored() == before  # the preview writes nothing

    batch = import_batch_commit(batch=batch, actor=hr)
    assert (batch.created_count, batch.updated_count) == (2, 1)
    assert stored() == sorted(
        [
            ("Hjemmeplejen Øst", "SSA", FEB, JUN, 2),
            ("Nordskolen", "PAU", FEB, JUN, 4),
            ("Plejecenter Bakkehuset", "SSA", FEB, JUN, 3),
            ("Plejecenter Bakkehuset", "SSH", FEB, JUN, 1),
        ]
    )
    assert AuditEntry.objects.filter(action="placements.workplacecapacity.imported").count() == 3

    again = preview(hillerod, path, kind="capacity")
    assert {r.action for r in ImportRow.objects.filter(batch=again)} == {RowAction.UNCHANGED}

    import_batch_undo(batch=batch, actor=hr)
    assert stored() == before
    keep.refresh_from_db()
    assert keep.places == 4


def test_error_rows_are_reported_per_row_and_column_in_danish(hillerod, xlsx_file, bakkehuset_ssa):
    rows = [
        ["Plejecenter Bakkehuset", "SSA", "01.03.2027", "31.07.2027", 2],
        ["Ukendt Sted", "SSA", FEB, JUN, 2],
        ["Hjemmeplejen Vest", "Astronaut", FEB, JUN, 2],
        ["Hjemmeplejen Vest", "SSA", JUN, FEB, 2],
        ["Hjemmeplejen Vest", "SSH", FEB, JUN, -1],
        ["Hjemmeplejen Vest", "SSA", "31.02.2027", JUN, 2],
        ["Sygeplejen Hillerød", "SSA", FEB, JUN, 2],
    ]
    path = xlsx_file(rows, headers=HEADERS, name="kapacitet.xlsx")
    batch = preview(hillerod, path, kind="capacity")
    assert batch.status == BatchStatus.READY, batch.message
    found = errors(batch)
    assert found[0] == (
        "Række 2, kolonne Fra: overlapper den gemte kapacitet for Plejecenter Bakkehuset, SSA "
        "fra 01.02.2027 til 30.06.2027 (5 pladser); ret eller slet den først"
    )
    assert found[1] == "Række 3, kolonne Arbejdsplads: ukendt arbejdsplads «Ukendt Sted»"
    assert found[2] == "Række 4, kolonne Uddannelse: ukendt uddannelse «Astronaut»"
    assert found[3] == "Række 5, kolonne Til: til-datoen ligger før fra-datoen"
    assert found[4] == "Række 6, kolonne Pladser: «-1.0» skal være et helt tal fra 1 til 1000"
    assert found[5].startswith("Række 7, kolonne Fra: ")
    assert len(found) == 6
    assert batch.created_count == 1 and batch.rejected_count == 6


def test_overlapping_rows_within_one_file_are_refused(hillerod, xlsx_file):
    rows = [
        ["Hjemmeplejen Vest", "SSA", FEB, JUN, 2],
        ["Hjemmeplejen Vest", "SSA", "01.06.2027", "31.12.2027", 2],
    ]
    batch = preview(hillerod, xlsx_file(rows, headers=HEADERS, name="k.xlsx"), kind="capacity")
    assert errors(batch) == [
        "Række 3, kolonne Fra: overlapper en anden række i filen for samme arbejdsplads og "
        "uddannelse (fra 01.02.2027 til 30.06.2027)"
    ]


def test_the_command_line_imports_capacity_with_the_kind_detected(hillerod, xlsx_file, capsys):
    path = xlsx_file(sample_rows(), headers=HEADERS, name="kapacitet.xlsx")
    with pytest.raises(SystemExit) as exited:
        call_command("import_spreadsheet", str(path), "--municipality", "219", "--json")
        raise SystemExit(0)
    summary = json.loads(capsys.readouterr().out)
    assert exited.value.code == 0
    assert (summary["kind"], summary["created"], summary["applied"]) == ("capacity", 3, True)
    assert len(stored()) == 3


def test_an_import_counts_as_a_change_for_the_pages_and_undo(
    hillerod, hr, xlsx_file, bakkehuset_ssa
):
    """A capacity page opened before an import cannot overwrite what the import wrote, and an
    import is not undone over a change made on the page after it."""
    opened_version = bakkehuset_ssa.version
    path = xlsx_file(sample_rows(), headers=HEADERS, name="kapacitet.xlsx", sheet="Kapacitet")
    batch = import_batch_commit(batch=preview(hillerod, path), actor=hr)
    bakkehuset_ssa.refresh_from_db()
    assert (bakkehuset_ssa.places, bakkehuset_ssa.version) == (3, opened_version + 1)

    page = {"places": 7}
    with pytest.raises(ValidationError, match="ændret af en anden"):
        capacity_update(
            capacity=bakkehuset_ssa, actor=hr, data=page, expected_version=opened_version
        )
    capacity_update(
        capacity=bakkehuset_ssa, actor=hr, data=page, expected_version=bakkehuset_ssa.version
    )
    with pytest.raises(ImportRefused):
        import_batch_undo(batch=batch, actor=hr)
    bakkehuset_ssa.refresh_from_db()
    assert bakkehuset_ssa.places == 7
