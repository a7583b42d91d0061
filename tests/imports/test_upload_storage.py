"""Uploads live in PostgreSQL: a worker process on another host (no shared disk) reads them."""

import hashlib
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from apps.imports.models import BatchStatus, ImportBatch, ImportUpload
from tests.imports.conftest import SAMPLES
from tests.workers import worker_env

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.django_db(transaction=True)
def test_an_upload_is_checked_by_a_separate_worker_process_from_the_database_alone(
    login, hr, hillerod, tmp_path
):
    content = (SAMPLES / "hillerod_elever.xlsx").read_bytes()
    response = login(hr).post(
        reverse("imports:batch_list"),
        {"file": SimpleUploadedFile("hillerod_elever.xlsx", content), "kind": ""},
    )
    assert response.status_code == 302
    batch = ImportBatch.objects.get()
    stored = ImportUpload.objects.get(batch=batch)
    assert stored.sha256 == hashlib.sha256(content).hexdigest()

    # The worker is another process, in an empty working directory with its own empty
    # data and temporary folders: all it shares with the web process is the database.
    elsewhere = tmp_path / "worker-host"
    env = worker_env(elsewhere)
    done = subprocess.run(  # noqa: S603 - our own manage.py
        [sys.executable, str(ROOT / "manage.py"), "db_worker", "--batch", "--no-startup-delay"],
        cwd=elsewhere,
        env=env,
        capture_output=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr.decode()[-2000:]
    batch.refresh_from_db()
    assert batch.status == BatchStatus.READY, batch.message
    assert batch.created_count == 60
    assert not ImportUpload.objects.exists()  # the bytes are deleted once read
    assert list((elsewhere / "tmp").iterdir()) == []  # and no temporary copy is left


@pytest.mark.django_db
def test_a_batch_whose_upload_is_gone_is_refused_with_a_message(hillerod, run_worker):
    from apps.imports.tasks import preview_import_batch

    batch = ImportBatch.objects.create(municipality=hillerod, file_name="elever.xlsx")
    preview_import_batch.enqueue(batch.pk)
    run_worker()
    batch.refresh_from_db()
    assert batch.status == BatchStatus.REFUSED
    assert batch.message == "Den uploadede fil findes ikke længere. Upload filen igen."
