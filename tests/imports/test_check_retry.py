"""A check of an uploaded file interrupted by a dying worker is run again from the start
by another worker (the upload stays in PostgreSQL until a run has stored the outcome), HR
is told it is being retried, a rerun never duplicates rows or counts, and a check that
cannot finish (every try interrupted, upload gone) is still failed with a Danish message."""

import os
import signal
import socket

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from apps.core.models import AuditEntry
from apps.imports.analysis import CHUNK
from apps.imports.models import BatchStatus, ImportBatch, ImportRow, ImportUpload, RowAction
from apps.imports.retention import import_batches_release_stuck
from apps.imports.services import import_batch_upload
from apps.imports.tasks import preview_import_batch
from apps.scheduling.recovery import tasks_recover_orphans, worker_id_for
from tests.imports.conftest import TRAINEE_HEADERS, trainee_row, write_xlsx
from tests.workers import dead_worker_id, other_connection, start_task_worker, wait_for

HTMX = {"HX-Request": "true"}


@pytest.fixture
def upload(hr, hillerod, tmp_path):
    """HR uploads a trainee file of `rows` rows; the preview task is queued, not run."""

    def _upload(rows: int) -> ImportBatch:
        path = write_xlsx(
            tmp_path / "elever.xlsx", TRAINEE_HEADERS, [trainee_row(f"E{i}") for i in range(rows)]
        )
        return import_batch_upload(
            actor=hr,
            municipality=hillerod,
            uploaded_file=SimpleUploadedFile("elever.xlsx", path.read_bytes()),
        )

    return _upload


def interrupted(batch: ImportBatch, worker_ids: list[str]) -> None:
    """What a worker that died mid-check leaves: the task RUNNING under its id, the batch
    being checked by a process that is gone, its upload still stored."""
    DBTaskResult.objects.filter(id=batch.task_id).update(
        status="RUNNING", started_at=timezone.now(), worker_ids=worker_ids
    )
    ImportBatch.objects.filter(pk=batch.pk).update(
        status=BatchStatus.PROCESSING,
        progress=57,
        worker_host=socket.gethostname(),
        worker_pid=int(worker_ids[-1].split(":")[2]),
        heartbeat_at=timezone.now(),
    )


def progress_text(client, batch: ImportBatch) -> str:
    response = client.get(batch.get_absolute_url(), headers=HTMX)
    assert response.status_code == 200
    return " ".join(response.content.decode().split())


@pytest.mark.django_db
def test_a_check_whose_worker_died_waits_to_be_rerun_and_hr_is_told(upload, hr, login):
    batch = upload(3)
    interrupted(batch, [dead_worker_id()])

    assert import_batches_release_stuck() == 0  # left to the task recovery
    assert tasks_recover_orphans() == {"requeued": 1, "failed": 0}
    assert import_batches_release_stuck() == 0  # requeued: it will run again

    batch.refresh_from_db()
    assert batch.status == BatchStatus.PROCESSING
    assert ImportUpload.objects.filter(batch=batch).exists()
    assert (
        "Kontrollen blev afbrudt, fordi processen, der læste filen, stoppede. Den startes "
        "forfra om lidt (forsøg 2 af 3). Du behøver ikke uploade filen igen."
    ) in progress_text(login(hr), batch)


@pytest.mark.django_db
def test_a_check_interrupted_on_every_try_is_failed_with_a_danish_message(upload):
    batch = upload(3)
    interrupted(batch, [dead_worker_id(), dead_worker_id(), dead_worker_id()])

    assert tasks_recover_orphans() == {"requeued": 0, "failed": 1}
    assert import_batches_release_stuck() == 1

    batch.refresh_from_db()
    assert batch.status == BatchStatus.REFUSED
    assert batch.message.startswith(
        "Kontrollen af filen blev afbrudt 3 gange, fordi processen, der læste filen, stoppede "
        "undervejs. Filen er slettet, og intet er ændret. Upload filen igen"
    )
    assert not ImportUpload.objects.filter(batch=batch).exists()
    assert AuditEntry.objects.filter(action="imports.batch.check_failed").count() == 1


@pytest.mark.django_db
def test_a_running_check_whose_upload_is_gone_is_failed(upload):
    batch = upload(3)
    interrupted(batch, [worker_id_for()])  # a live worker: this process
    ImportBatch.objects.filter(pk=batch.pk).update(worker_pid=os.getpid())
    ImportUpload.objects.filter(batch=batch).delete()

    assert import_batches_release_stuck() == 1

    batch.refresh_from_db()
    assert batch.status == BatchStatus.REFUSED
    assert batch.message == "Den uploadede fil findes ikke længere. Upload filen igen."


@pytest.mark.django_db
def test_a_rerun_clears_what_the_interrupted_run_wrote_before_it_counts(upload):
    batch = upload(5)
    interrupted(batch, [dead_worker_id()])
    ImportRow.objects.bulk_create(  # the first rows the killed run had written
        ImportRow(batch=batch, row_number=n, action=RowAction.NEW, key=f"E{n}") for n in (2, 3)
    )
    ImportBatch.objects.filter(pk=batch.pk).update(created_count=2, total_rows=2)

    preview_import_batch.call(batch.pk)

    batch.refresh_from_db()
    assert batch.status == BatchStatus.READY, batch.message
    assert (batch.total_rows, batch.created_count) == (5, 5)
    assert sorted(batch.rows.values_list("row_number", flat=True)) == [2, 3, 4, 5, 6]
    assert not ImportUpload.objects.filter(batch=batch).exists()


@pytest.mark.django_db
def test_a_rerun_of_a_check_that_already_has_its_outcome_changes_nothing(upload):
    batch = upload(3)
    preview_import_batch.call(batch.pk)
    # The worker died after storing the outcome, before the task was marked done: rerun.
    result = preview_import_batch.call(batch.pk)

    batch.refresh_from_db()
    assert result["status"] == BatchStatus.READY
    assert (batch.total_rows, batch.created_count, batch.rows.count()) == (3, 3, 3)
    assert AuditEntry.objects.filter(action="imports.batch.uploaded").count() == 1


# --- a real worker killed mid-check ---------------------------------------------------------

PAUSE = (4242, 16)  # advisory lock key the test holds to stop a worker before a chunk


@pytest.fixture
def second_chunk_waits():
    """A statement trigger on the rows table: an insert into a table that already has rows
    (a check's second chunk) waits for the advisory lock PAUSE, which the test holds, so
    a worker can be killed at a known point mid-check, its first chunk written."""
    table = connection.ops.quote_name(ImportRow._meta.db_table)
    with connection.cursor() as cursor:
        wait = f"PERFORM pg_advisory_xact_lock({PAUSE[0]}, {PAUSE[1]})"
        body = f"BEGIN IF EXISTS (SELECT 1 FROM {table}) THEN {wait}; END IF; RETURN NULL; END"  # noqa: S608
        cursor.execute(
            "CREATE FUNCTION test_wait_before_second_chunk() RETURNS trigger "
            f"LANGUAGE plpgsql AS $$ {body} $$"
        )
        cursor.execute(
            f"CREATE TRIGGER test_wait_before_second_chunk BEFORE INSERT ON {table} "
            "FOR EACH STATEMENT EXECUTE FUNCTION test_wait_before_second_chunk()"
        )
    with other_connection() as pause:
        pause.autocommit = True
        yield pause
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TRIGGER IF EXISTS test_wait_before_second_chunk ON {table}")
        cursor.execute("DROP FUNCTION IF EXISTS test_wait_before_second_chunk()")


def a_worker_waits_at_the_pause() -> bool:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted "
            "AND classid = %s AND objid = %s",
            list(PAUSE),
        )
        return cursor.fetchone()[0] > 0


@pytest.mark.django_db(transaction=True)
def test_a_check_whose_worker_was_killed_is_rerun_by_another_worker(
    upload, hr, login, tmp_path, second_chunk_waits
):
    pause = second_chunk_waits
    rows = CHUNK + 500
    batch = upload(rows)
    client = login(hr)
    pause.execute("SELECT pg_advisory_lock(%s, %s)", PAUSE)

    first = start_task_worker(tmp_path / "first")
    try:
        wait_for(a_worker_waits_at_the_pause, "the first worker to write a chunk and wait")
    finally:
        first.send_signal(signal.SIGKILL)
        first.wait(timeout=60)

    batch.refresh_from_db()
    assert batch.status == BatchStatus.PROCESSING
    assert ImportRow.objects.filter(batch=batch).count() == CHUNK  # partial output
    assert ImportUpload.objects.filter(batch=batch).exists()
    assert "Filen kontrolleres" in progress_text(client, batch)

    # The killed worker's half-sent chunk ends (committed or not), then the next worker
    # is held at the same point of its own run.
    pause.execute("SELECT pg_advisory_unlock(%s, %s)", PAUSE)
    pause.execute("SELECT pg_advisory_lock(%s, %s)", PAUSE)
    second = start_task_worker(tmp_path / "second")
    try:
        wait_for(a_worker_waits_at_the_pause, "the second worker to rerun the check")
        task = DBTaskResult.objects.get(id=batch.task_id)
        assert task.status == "RUNNING"
        assert len(task.worker_ids) == 2
        assert task.worker_ids[-1] == worker_id_for(second.pid)
        assert ImportRow.objects.filter(batch=batch).count() == CHUNK  # the old rows cleared
        assert (
            "Kontrollen blev afbrudt og køres nu forfra (forsøg 2 af 3). Du behøver ikke "
            "uploade filen igen."
        ) in progress_text(client, batch)

        pause.execute("SELECT pg_advisory_unlock(%s, %s)", PAUSE)
        wait_for(
            lambda: ImportBatch.objects.filter(pk=batch.pk, status=BatchStatus.READY).exists(),
            "the rerun to reach the preview",
        )
    finally:
        second.send_signal(signal.SIGTERM)
        second.wait(timeout=120)

    batch.refresh_from_db()
    assert (batch.total_rows, batch.created_count, batch.rejected_count) == (rows, rows, 0)
    assert ImportRow.objects.filter(batch=batch).count() == rows
    assert not ImportUpload.objects.filter(batch=batch).exists()
    assert DBTaskResult.objects.get(id=batch.task_id).status == "SUCCESSFUL"
    page = client.get(batch.get_absolute_url()).content.decode()
    assert "Klar til godkendelse" in page
