"""A re-import recognises rows the last import left as they are, and only those."""

import pytest

from apps.core.models import AuditEntry
from apps.imports.models import RowAction
from apps.imports.services import import_batch_undo
from apps.trainees.models import Trainee
from tests.imports.conftest import trainee_row
from tests.imports.test_services import preview, run

pytestmark = pytest.mark.django_db


def actions(batch) -> dict[str, str]:
    return dict(batch.rows.values_list("key", "action"))


def test_the_same_file_again_is_unchanged_with_the_rows_labels_and_ids(hillerod, xlsx_file):
    path = xlsx_file([trainee_row(f"E{i}") for i in range(5)])
    first = run(hillerod, path)
    assert first.created_count == 5
    assert all(first.rows.values_list("row_hash", flat=True))
    again = preview(hillerod, path)
    assert again.unchanged_count == 5 and again.created_count == again.updated_count == 0
    row = again.rows.get(key="E3")
    assert row.action == RowAction.UNCHANGED and row.label == "E3 Anna Holm"
    assert row.object_id == Trainee.objects.get(hr_id="E3").pk


def test_a_row_edited_in_the_portal_since_the_import_is_compared_again(hillerod, xlsx_file, hr):
    path = xlsx_file([trainee_row(f"E{i}") for i in range(3)])
    run(hillerod, path)
    edited = Trainee.objects.get(hr_id="E1")
    edited.first_name = "Bodil"
    edited.version += 1
    edited.save()
    batch = run(hillerod, path, actor=hr)
    assert actions(batch) == {"E0": "unchanged", "E1": "changed", "E2": "unchanged"}
    edited.refresh_from_db()
    assert edited.first_name == "Anna"
    entry = AuditEntry.objects.get(action="trainees.trainee.imported", actor=hr)
    assert entry.changes == {"first_name": ["Bodil", "Anna"]}


def test_a_recognised_row_repeated_in_the_file_is_rejected_as_a_duplicate(hillerod, xlsx_file):
    run(hillerod, xlsx_file([trainee_row("E1"), trainee_row("E2")]))
    batch = preview(
        hillerod,
        xlsx_file([trainee_row("E1"), trainee_row("E2"), trainee_row("E1")], name="d.xlsx"),
    )
    rejected = batch.rows.filter(action=RowAction.REJECTED).order_by("row_number")
    assert [r.row_number for r in rejected] == [2, 4]
    assert "står flere gange i filen" in rejected[0].errors[0]["message"]
    assert actions(batch)["E2"] == "unchanged"


def test_after_an_undo_nothing_is_recognised_and_rows_are_new_again(hillerod, xlsx_file, hr):
    path = xlsx_file([trainee_row("E1"), trainee_row("E2")])
    batch = run(hillerod, path, actor=hr)
    import_batch_undo(batch=batch, actor=hr)
    again = preview(hillerod, path)
    assert again.created_count == 2 and again.unchanged_count == 0


def test_new_rows_are_audited_with_every_written_value_including_the_name(hillerod, xlsx_file, hr):
    run(hillerod, xlsx_file([trainee_row("E1")]), actor=hr)
    entry = AuditEntry.objects.get(action="trainees.trainee.imported")
    assert entry.object_repr == "Anna Holm"
    assert entry.changes["hr_id"] == [None, "E1"]
    assert entry.changes["first_name"] == [None, "Anna"]
    assert entry.changes["start_date"] == [None, "01.02.2023"]
    assert entry.context["created"] is True
