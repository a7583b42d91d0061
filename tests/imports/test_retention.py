"""An import's row details are kept IMPORT_ROWS_RETENTION_DAYS, then deleted; the batch
stays in the history, and a purged import can no longer be confirmed or undone."""

import datetime

import pytest
from django.utils import timezone

from apps.core.models import AuditEntry
from apps.imports.errors import ImportRefused
from apps.imports.models import BatchStatus, ImportRow
from apps.imports.retention import import_rows_purge
from apps.imports.services import import_batch_commit, import_batch_undo
from apps.trainees.models import Trainee
from tests.imports.conftest import trainee_row
from tests.imports.test_services import preview, run

pytestmark = pytest.mark.django_db


def _days_later(days: int) -> datetime.datetime:
    return timezone.now() + datetime.timedelta(days=days)


def test_row_details_are_kept_within_the_period_and_deleted_after(hillerod, xlsx_file, hr):
    batch = run(hillerod, xlsx_file([trainee_row("E1"), trainee_row("E2")]), actor=hr)
    assert import_rows_purge(now=_days_later(89)) == 0
    assert ImportRow.objects.filter(batch=batch).count() == 2

    assert import_rows_purge(now=_days_later(91)) == 2
    batch.refresh_from_db()
    assert not ImportRow.objects.filter(batch=batch).exists()
    assert batch.rows_purged_at is not None
    assert (batch.status, batch.created_count) == (BatchStatus.APPLIED, 2)  # history stays
    assert Trainee.objects.count() == 2  # the data imported is untouched
    entry = AuditEntry.objects.get(action="imports.batch.rows_purged")
    assert entry.context == {"rows": 2, "retention_days": 90}


def test_a_purged_import_cannot_be_undone_and_says_why(hillerod, xlsx_file, hr):
    batch = run(hillerod, xlsx_file([trainee_row("E1")]), actor=hr)
    import_rows_purge(now=_days_later(91))
    batch.refresh_from_db()
    with pytest.raises(ImportRefused, match="kan ikke længere godkendes eller fortrydes"):
        import_batch_undo(batch=batch, actor=hr)
    assert Trainee.objects.filter(hr_id="E1").exists()


def test_an_unconfirmed_preview_expires(hillerod, xlsx_file, hr):
    batch = preview(hillerod, xlsx_file([trainee_row("E1")]))
    assert batch.status == BatchStatus.READY
    import_rows_purge(now=_days_later(91))
    batch.refresh_from_db()
    assert batch.status == BatchStatus.REFUSED
    assert batch.message == "Forhåndsvisningen udløb uden at blive godkendt."
    with pytest.raises(ImportRefused):
        import_batch_commit(batch=batch, actor=hr)
    assert not Trainee.objects.exists()


def test_the_batch_page_says_the_rows_were_deleted(hillerod, xlsx_file, hr, login):
    batch = run(hillerod, xlsx_file([trainee_row("E1")]), actor=hr)
    import_rows_purge(now=_days_later(91))
    html = login(hr).get(batch.get_absolute_url()).content.decode()
    assert "Rækkernes detaljer blev slettet" in html
    assert "databeskyttelsen" in html


def test_an_import_from_the_command_line_shows_in_the_history_as_system(
    hillerod, xlsx_file, hr, login
):
    batch = run(hillerod, xlsx_file([trainee_row("E1")]))  # no uploader: a scheduled job
    client = login(hr)
    assert "system" in client.get(batch.get_absolute_url()).content.decode()
    assert client.get("/import/").status_code == 200


def test_a_check_that_never_finished_is_released_with_a_message(hillerod, xlsx_file):
    from apps.imports.retention import import_batches_release_stuck
    from apps.imports.services import import_batch_start

    batch = import_batch_start(
        municipality=hillerod, actor=None, path=xlsx_file([trainee_row("E1")])
    )
    assert batch.status in (BatchStatus.QUEUED, BatchStatus.PROCESSING)
    assert import_batches_release_stuck(now=timezone.now()) == 0
    assert import_batches_release_stuck(now=_days_later(1)) == 1
    batch.refresh_from_db()
    assert batch.status == BatchStatus.REFUSED
    assert (
        batch.message
        == "Kontrollen af filen blev afbrudt og er ikke gennemført. Upload filen igen."
    )
