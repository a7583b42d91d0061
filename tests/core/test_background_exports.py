"""Large list exports run in the task worker, not in the request: queued with an audit
event, progress page, a download only the requester can use (each download audited), an
expiring link, formula cells neutralised, and the file deleted on expiry."""

import csv
import datetime
import io

import openpyxl
import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from apps.core import exports as core_exports
from apps.core.exports import export_jobs_purge
from apps.core.models import AuditEntry, ExportJob, ExportStatus
from apps.core.roles import Role
from tests.factories import SupervisorFactory, TraineeFactory, WorkplaceFactory

pytestmark = pytest.mark.django_db

TRAINEE_EXPORT = reverse("trainees:trainee_export")
SUPERVISOR_EXPORT = reverse("supervisors:supervisor_export")
DANGEROUS = ["=1+1", "+45 1234", "-2+3", "@SUM(A1)", "\tTab"]
HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture(autouse=True)
def small_threshold(settings):
    settings.EXPORT_BACKGROUND_ROWS = 3
    settings.EXPORT_LINK_HOURS = 24


@pytest.fixture
def run_worker(monkeypatch):
    """Drain the queue with the real `db_worker --batch` (its close_old_connections() call
    would close the test's connection inside the test transaction, so it is disabled)."""
    from django_tasks_db.management.commands import db_worker

    monkeypatch.setattr(db_worker, "close_old_connections", lambda: None)
    return lambda: call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)


@pytest.fixture
def dangerous_trainees(elderly):
    return [
        TraineeFactory(department=elderly, hr_id=f"X{i}", first_name=value, last_name="Farlig")
        for i, value in enumerate(DANGEROUS)
    ]


def _job() -> ExportJob:
    return ExportJob.objects.get()


def test_a_small_export_stays_in_the_request(login, hr, elderly, settings):
    settings.EXPORT_BACKGROUND_ROWS = 10
    TraineeFactory(department=elderly)
    response = login(hr).get(TRAINEE_EXPORT, {"format": "csv"})
    assert response.status_code == 200
    assert response["Content-Disposition"].endswith('.csv"')
    assert not ExportJob.objects.exists()


def test_a_large_export_is_queued_and_logged_instead_of_written(login, hr, dangerous_trainees):
    response = login(hr).get(TRAINEE_EXPORT, {"format": "xlsx", "status": "active"})
    job = _job()
    assert response.status_code == 302 and response["Location"] == job.get_absolute_url()
    assert job.status == ExportStatus.QUEUED and job.content is None
    assert job.requested_by == hr and job.rows_total == 5
    assert job.params == {"status": ["active"]}
    assert DBTaskResult.objects.filter(
        task_path="apps.trainees.tasks.trainee_export_task", status="READY"
    ).exists()
    entry = AuditEntry.objects.get(action="export")
    assert entry.context == {
        "list": "trainees.trainee",
        "criteria": {"status": "active"},
        "format": "xlsx",
        "rows": 5,
        "delivery": "background",
    }


def test_asking_twice_reuses_the_waiting_job(login, hr, dangerous_trainees):
    client = login(hr)
    first = client.get(TRAINEE_EXPORT, {"format": "xlsx"})
    second = client.get(TRAINEE_EXPORT, {"format": "xlsx"})
    assert first["Location"] == second["Location"]
    assert ExportJob.objects.count() == 1


def test_the_progress_page_polls_until_the_worker_is_done_then_offers_the_file(
    login, hr, dangerous_trainees, run_worker
):
    client = login(hr)
    client.get(TRAINEE_EXPORT, {"format": "xlsx"})
    job = _job()
    page = client.get(job.get_absolute_url())
    assert "Din eksport er under udarbejdelse… (0 af 5 rækker)" in page.content.decode()
    fragment = client.get(job.get_absolute_url(), **HTMX)
    assert 'hx-trigger="every 2s"' in fragment.content.decode()
    assert "<h1>" not in fragment.content.decode()

    run_worker()

    job.refresh_from_db()
    assert job.status == ExportStatus.READY
    assert job.rows_done == job.rows_total == 5
    done = client.get(job.get_absolute_url(), **HTMX)
    assert done.status_code == 204 and done["HX-Refresh"] == "true"
    page = client.get(job.get_absolute_url()).content.decode()
    assert "Hent fil" in page
    assert reverse("core:export_download", kwargs={"pk": job.pk}) in page


def test_the_requester_downloads_the_neutralised_file_and_each_download_is_logged(
    login, hr, dangerous_trainees, run_worker
):
    client = login(hr)
    client.get(TRAINEE_EXPORT, {"format": "xlsx"})
    run_worker()
    job = _job()
    url = reverse("core:export_download", kwargs={"pk": job.pk})

    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Disposition"].endswith('.xlsx"')
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert rows[0][:3] == ["Elev-ID", "Fornavn", "Efternavn"]
    assert {row[1] for row in rows[1:]} == {"'" + value for value in DANGEROUS}
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)

    client.get(url)
    downloads = AuditEntry.objects.filter(action="export", context__delivery="download")
    assert downloads.count() == 2
    entry = downloads.first()
    assert entry.actor == hr and entry.object_id == str(job.pk)


def test_a_csv_supervisor_export_runs_in_the_background_and_is_neutralised(
    login, coordinator, elderly, run_worker
):
    workplace = WorkplaceFactory(department=elderly)
    for i, value in enumerate(DANGEROUS):
        SupervisorFactory(workplace=workplace, hr_id=f"V{i}", name=value)
    client = login(coordinator)
    response = client.get(SUPERVISOR_EXPORT, {"format": "csv"})
    job = _job()
    assert response["Location"] == job.get_absolute_url()
    run_worker()
    download = client.get(reverse("core:export_download", kwargs={"pk": job.pk}))
    assert download.content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(download.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][0] == "Medarbejder-ID"
    assert {row[1] for row in rows[1:]} == {"'" + value for value in DANGEROUS}


@pytest.mark.parametrize("name", ["core:export_job", "core:export_download"])
def test_a_colleague_in_the_same_municipality_gets_404(
    login, hr, admin_user, coordinator, dangerous_trainees, run_worker, client, name
):
    login(hr).get(TRAINEE_EXPORT, {"format": "xlsx"})
    run_worker()
    url = reverse(name, kwargs={"pk": _job().pk})
    for colleague in (coordinator, admin_user):
        client.logout()
        assert login(colleague).get(url).status_code == 404
    assert not AuditEntry.objects.filter(context__delivery="download").exists()


def test_an_expired_link_says_udlobet_and_deletes_the_file(
    login, hr, dangerous_trainees, run_worker
):
    client = login(hr)
    client.get(TRAINEE_EXPORT, {"format": "xlsx"})
    run_worker()
    job = _job()
    ExportJob.objects.filter(pk=job.pk).update(expires_at=timezone.now())

    response = client.get(reverse("core:export_download", kwargs={"pk": job.pk}))
    assert response.status_code == 410
    assert "Linket er udløbet" in response.content.decode()
    job.refresh_from_db()
    assert job.status == ExportStatus.EXPIRED and job.content is None and job.params == {}
    assert client.get(job.get_absolute_url()).status_code == 410


def test_the_nightly_purge_deletes_expired_files_then_the_jobs(
    login, hr, dangerous_trainees, run_worker
):
    login(hr).get(TRAINEE_EXPORT, {"format": "xlsx"})
    run_worker()
    job = _job()
    assert export_jobs_purge() == 0
    assert ExportJob.objects.get().content is not None

    later = job.expires_at + datetime.timedelta(minutes=1)
    assert export_jobs_purge(now=later) == 1
    job.refresh_from_db()
    assert job.status == ExportStatus.EXPIRED and job.content is None

    export_jobs_purge(now=later + datetime.timedelta(days=core_exports.TOMBSTONE_DAYS))
    assert not ExportJob.objects.exists()


def test_a_requester_who_lost_access_before_the_worker_ran_gets_no_file(
    login, hr, dangerous_trainees, run_worker
):
    login(hr).get(TRAINEE_EXPORT, {"format": "xlsx"})
    hr.role = Role.KKR_ANALYST
    hr.save()
    run_worker()
    job = _job()
    assert job.status == ExportStatus.FAILED and job.content is None


def test_the_worker_writes_its_progress_as_it_goes(login, hr, dangerous_trainees, monkeypatch):
    login(hr).get(TRAINEE_EXPORT, {"format": "csv"})
    job = _job()
    monkeypatch.setattr(core_exports, "PROGRESS_EVERY", 2)
    seen = []
    for _row in core_exports._counted(iter(range(5)), job):
        seen.append(ExportJob.objects.values_list("rows_done", flat=True).get(pk=job.pk))
    assert seen == [0, 0, 2, 2, 4]


def test_the_list_says_when_its_export_will_be_built_in_the_background(
    login, hr, dangerous_trainees, settings
):
    hint = "filen udarbejdes i baggrunden"
    page = login(hr).get(reverse("trainees:trainee_list")).content.decode()
    assert hint in page and "udløber efter 24 timer" in page
    settings.EXPORT_BACKGROUND_ROWS = 10
    assert hint not in login(hr).get(reverse("trainees:trainee_list")).content.decode()
