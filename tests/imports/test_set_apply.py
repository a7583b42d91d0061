"""New trainees written set-based inside PostgreSQL are the rows and audit entries the
row-by-row commit writes; a new row taken since the preview refuses the whole batch."""

import datetime

import pytest

from apps.core.models import AuditEntry
from apps.imports.errors import ImportRefused
from apps.imports.handlers import TraineeHandler
from apps.imports.services import import_batch_commit, import_batch_undo
from apps.trainees.models import Trainee
from tests.imports.conftest import TRAINEE_HEADERS, trainee_row
from tests.imports.test_services import preview, run

pytestmark = pytest.mark.django_db

ROWS = [
    trainee_row("E1"),
    trainee_row("E2", Fornavn=None, Efternavn="Berg", Fødselsår=None, Rekruttering=None),
    trainee_row(
        "E3",
        Status="Afbrudt",
        Slutdato=datetime.date(2024, 1, 31),
        Frafaldsårsag="Noget helt andet",
        Frafaldsfase="Oplæringsperiode 2",
    ),
    trainee_row(
        "E4",
        Status="Gennemført",
        Slutdato=datetime.date(2024, 8, 1),
        **{"Ansat efter uddannelse": "Ja", "Ansat i": "Ældre og Sundhed"},
    ),
    trainee_row("E5", Fornavn="Bo", Efternavn=None, Uddannelse="PAU"),
]
SKIPPED = {"id", "created_at", "updated_at"}


def written(batch, hr) -> tuple[list, list]:
    trainees = [
        {k: v for k, v in row.items() if k not in SKIPPED}
        for row in Trainee.objects.order_by("hr_id").values()
    ]
    audited = AuditEntry.objects.filter(
        action="trainees.trainee.imported", context__batch=batch.pk
    ).order_by("id")
    entries = [
        (e.actor_id, e.actor_label, e.municipality_id, e.object_repr, e.changes, e.context["row"])
        for e in audited
    ]
    assert all(
        e.object_id == str(Trainee.objects.get(hr_id=e.changes["hr_id"][1]).pk) for e in audited
    )
    return trainees, entries


# Every column, and only the required ones (the rest of a new row from the defaults; the
# rows a file without end dates and reasons can hold).
MINIMAL = ["Elev-ID", "Fornavn", "Efternavn", "Uddannelse", "Afdeling", "Startdato", "Status"]


@pytest.mark.parametrize("headers", [None, MINIMAL], ids=["all-columns", "required-columns"])
def test_set_based_new_rows_equal_the_row_by_row_commit(
    hillerod, xlsx_file, hr, monkeypatch, headers
):
    if headers is None:
        rows, path = ROWS, xlsx_file(ROWS)
    else:
        positions = [TRAINEE_HEADERS.index(header) for header in headers]
        rows = [[row[i] for i in positions] for row in (ROWS[0], ROWS[1], ROWS[4])]
        path = xlsx_file(rows, headers=headers)
    batch = run(hillerod, path, actor=hr)
    assert batch.created_count == len(rows)
    set_based = written(batch, hr)
    assert len(set_based[0]) == len(rows) and len(set_based[1]) == len(rows)
    import_batch_undo(batch=batch, actor=hr)
    monkeypatch.setattr(TraineeHandler, "derived_sql", None)
    again = run(hillerod, path, actor=hr)
    assert again.created_count == len(rows)
    assert written(again, hr) == set_based


def test_a_new_row_created_since_the_preview_refuses_the_batch(hillerod, xlsx_file):
    batch = preview(hillerod, xlsx_file([trainee_row("E1"), trainee_row("E2")]))
    run(hillerod, xlsx_file([trainee_row("E2")], name="other.xlsx"))
    with pytest.raises(ImportRefused, match="Data er ændret, siden filen blev kontrolleret"):
        import_batch_commit(batch=batch, actor=None)
    assert list(Trainee.objects.values_list("hr_id", flat=True)) == ["E2"]
