"""Looking at an import's preview rows and downloading its rejected rows are look-ups of
person data, logged like a trainee's page (view) and a list export (export)."""

import pytest

from apps.core.models import AuditEntry
from apps.imports.models import ImportBatch
from tests.imports.conftest import TRAINEE_HEADERS, csv_bytes, trainee_row
from tests.imports.test_views import upload

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def checked_batch(login, hr, hillerod, run_worker):
    rows = [trainee_row("E1", Uddannelse="Astronaut"), trainee_row("E2")]
    client = login(hr)
    upload(client, "elever.csv", csv_bytes(TRAINEE_HEADERS, rows))
    pending = ImportBatch.objects.get()
    client.get(pending.get_absolute_url(), **HTMX)  # the progress poll shows no rows
    assert not AuditEntry.objects.filter(action="view").exists()
    run_worker()
    return client, ImportBatch.objects.get()


def test_the_preview_page_is_logged_as_a_view_of_the_batch(checked_batch, hr):
    client, batch = checked_batch
    response = client.get(batch.get_absolute_url() + "?vis=alle&side=1")
    assert response.status_code == 200
    entry = AuditEntry.objects.get(action="view")
    assert entry.actor == hr
    assert (entry.object_type, entry.object_id) == ("imports.importbatch", str(batch.pk))
    assert entry.municipality_id == batch.municipality_id
    assert entry.context == {"page": "preview", "filter": "alle", "side": 1}


def test_the_rejected_rows_download_is_logged_as_an_export(checked_batch, hr):
    client, batch = checked_batch
    response = client.get(batch.get_absolute_url() + "?hent=afviste")
    assert response.status_code == 200
    entry = AuditEntry.objects.get(action="export")
    assert entry.actor == hr and entry.object_id == str(batch.pk)
    assert entry.context == {
        "list": "imports.importrow",
        "criteria": {"hent": "afviste"},
        "format": "csv",
        "rows": 1,
    }


def test_a_preview_search_is_logged_with_its_words(login, hr, hillerod):
    batch = ImportBatch.objects.create(
        municipality=hillerod, file_name="x.csv", status="ready", kind="trainees"
    )
    login(hr).get(batch.get_absolute_url(), {"q": " h21 "})
    entry = AuditEntry.objects.filter(action="view").latest("pk")
    assert entry.context == {"page": "preview", "filter": "alle", "q": "h21", "side": 1}
