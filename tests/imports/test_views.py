"""HR's import pages: permissions, upload → worker → preview → confirm → undo (journey 2)."""

import hashlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from apps.core.models import AuditEntry
from apps.imports.models import BatchStatus, ImportBatch, ImportUpload
from apps.trainees.models import Trainee
from tests.imports.conftest import SAMPLES, TRAINEE_HEADERS, csv_bytes, trainee_row

pytestmark = pytest.mark.django_db

LIST = reverse("imports:batch_list")


def upload(client, name, content, kind=""):
    return client.post(
        LIST, {"file": SimpleUploadedFile(name, content), "kind": kind}, follow=False
    )


@pytest.mark.parametrize("persona", ["coordinator", "leader", "kkr"])
def test_only_hr_and_admin_may_import(request, login, persona, hillerod):
    client = login(request.getfixturevalue(persona))
    assert client.get(LIST).status_code == 403
    assert upload(client, "a.csv", b"x").status_code == 403


def test_admin_sees_the_start_page_with_labelled_upload(login, admin_user, hillerod):
    response = login(admin_user).get(LIST)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Regneark (xlsx eller csv)" in html and "Upload og kontrollér" in html


def test_a_batch_of_another_municipality_is_404(login, outsider, hr, hillerod):
    batch = ImportBatch.objects.create(municipality=hillerod, file_name="x.csv")
    other_hr = outsider
    other_hr.role = "hr"
    other_hr.save()
    client = login(other_hr)
    assert client.get(reverse("imports:batch_detail", args=[batch.pk])).status_code == 404
    response = client.post(reverse("imports:batch_confirm", args=[batch.pk]))
    assert response.status_code == 404


def test_journey_two_upload_preview_confirm_undo(login, hr, hillerod, run_worker):
    client = login(hr)
    content = (SAMPLES / "hillerod_elever.xlsx").read_bytes()
    response = upload(client, "hillerod_elever.xlsx", content)
    assert response.status_code == 302
    batch = ImportBatch.objects.get()
    assert batch.status == BatchStatus.QUEUED
    stored = ImportUpload.objects.get(batch=batch)  # the bytes wait in PostgreSQL
    assert bytes(stored.content) == content and stored.size == len(content)
    assert stored.sha256 == hashlib.sha256(content).hexdigest() and stored.extension == "xlsx"

    page = client.get(response["Location"]).content.decode()
    assert "<progress" in page and 'for="import-progress-bar"' in page
    partial = client.get(response["Location"], headers={"HX-Request": "true"})
    assert partial.status_code == 200 and b"<progress" in partial.content

    run_worker()
    batch.refresh_from_db()
    assert batch.status == BatchStatus.READY and batch.created_count == 60
    assert not ImportUpload.objects.exists()  # the stored bytes are deleted once read
    done = client.get(response["Location"], headers={"HX-Request": "true"})
    assert done["HX-Refresh"] == "true"
    page = client.get(response["Location"]).content.decode()
    assert "Bekræft import" in page and "H2100 Rikke Petersen" in page
    assert not Trainee.objects.exists()

    response = client.post(reverse("imports:batch_confirm", args=[batch.pk]), follow=True)
    assert "Importen er gennemført: 60 nye og 0 ændrede rækker." in response.content.decode()
    assert Trainee.objects.count() == 60
    assert AuditEntry.objects.filter(action="imports.batch.committed").count() == 1
    assert AuditEntry.objects.filter(action="trainees.trainee.imported").count() == 60
    history = client.get(LIST).content.decode()
    assert "hillerod_elever.xlsx" in history and "Importeret" in history

    page = client.get(batch.get_absolute_url()).content.decode()
    undo_url = reverse("imports:batch_undo", args=[batch.pk])
    assert f'href="{undo_url}">Fortryd import</a>' in page
    response = client.post(undo_url, {"confirmed": "1"}, follow=True)
    assert "Importen er fortrudt." in response.content.decode()
    assert not Trainee.objects.exists()


def test_undo_asks_for_confirmation_on_a_page_of_its_own_first(login, hr, hillerod, run_worker):
    client = login(hr)
    response = upload(client, "elever.csv", csv_bytes(TRAINEE_HEADERS, [trainee_row("E1")]))
    run_worker()
    batch = ImportBatch.objects.get()
    client.post(reverse("imports:batch_confirm", args=[batch.pk]))
    assert Trainee.objects.count() == 1
    undo_url = reverse("imports:batch_undo", args=[batch.pk])

    page = client.get(undo_url).content.decode()
    assert "<h1>Fortryd import</h1>" in page
    assert "Den 1 række, importen oprettede, bliver slettet." in page
    assert 'name="confirmed" value="1"' in page and "Ja, fortryd importen" in page
    # Neither opening the page nor a POST that did not come from it undoes anything.
    response = client.post(undo_url)
    assert response.status_code == 200 and "Ja, fortryd importen" in response.content.decode()
    batch.refresh_from_db()
    assert batch.status == BatchStatus.APPLIED and Trainee.objects.count() == 1

    response = client.post(undo_url, {"confirmed": "1"})
    assert response["Location"] == batch.get_absolute_url()
    batch.refresh_from_db()
    assert batch.status == BatchStatus.UNDONE and not Trainee.objects.exists()
    # Once undone, the page says it cannot be undone (again) and offers no button.
    page = client.get(undo_url).content.decode()
    assert "Ja, fortryd importen" not in page and 'role="alert"' in page


def test_preview_shows_rejected_rows_in_a_captioned_table_and_filters(
    login, hr, hillerod, run_worker
):
    rows = [trainee_row("E1"), trainee_row("E2", Startdato="31-02-2023")]
    content = csv_bytes(TRAINEE_HEADERS, rows)
    client = login(hr)
    response = upload(client, "elever.csv", content)
    run_worker()
    page = client.get(response["Location"]).content.decode()
    assert "<caption>1 række blev afvist og importeres ikke</caption>" in page
    assert "Række 3, kolonne Startdato: «31-02-2023» er ikke en gyldig dato" in page
    new_only = client.get(response["Location"] + "?vis=nye").content.decode()
    assert "E1 Anna Holm" in new_only and "E2 Anna Holm" not in new_only


REFUSALS = [
    (
        "notes.docx",
        b"hello",
        "Kun xlsx-, csv- og txt-filer (Excels «Unicode-tekst») kan importeres.",
    ),
    (
        "elever.txt",
        b"PK\x03\x04" + b"\x00" * 50,
        "Filen hedder .txt, men er ikke en tekstfil med kommaseparerede data.",
    ),
    ("elever.xlsx", b"Elev-ID;Navn\r\n1;A", "Filen hedder .xlsx, men er ikke et Excel-regneark."),
    (
        "elever.csv",
        b"PK\x03\x04" + b"\x00" * 50,
        "Filen hedder .csv, men er ikke en tekstfil med kommaseparerede data.",
    ),
]


@pytest.mark.parametrize(("name", "content", "message"), REFUSALS)
def test_upload_form_refuses_wrong_type(login, hr, hillerod, name, content, message):
    response = upload(login(hr), name, content)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not ImportBatch.objects.exists()


def test_upload_form_enforces_the_size_limit(login, hr, hillerod, settings):
    settings.IMPORT_MAX_UPLOAD_BYTES = 1024 * 1024
    content = b"Elev-ID;Navn\r\n" + b"1;Anna Holm\r\n" * 100_000
    response = upload(login(hr), "stor.csv", content)
    assert response.status_code == 400
    assert "Filen er for stor. Den må højst fylde 1 MB." in response.content.decode()
    assert not ImportBatch.objects.exists()
    assert not ImportUpload.objects.exists()


def test_a_refused_file_shows_the_reason_and_changes_nothing(login, hr, hillerod, run_worker):
    content = csv_bytes(["Foo", "Bar"], [["1", "2"]])
    client = login(hr)
    response = upload(client, "forkert.csv", content, kind="trainees")
    run_worker()
    page = client.get(response["Location"]).content.decode()
    assert "Filen blev afvist, og intet er ændret" in page
    assert "Filen mangler påkrævede kolonner:" in page
    assert "Bekræft import" not in page
    assert not Trainee.objects.exists()


def test_preview_shows_changed_fields_old_to_new(login, hr, hillerod, run_worker):
    client = login(hr)
    upload(client, "v1.csv", csv_bytes(TRAINEE_HEADERS, [trainee_row("E1")]))
    run_worker()
    client.post(reverse("imports:batch_confirm", args=[ImportBatch.objects.get().pk]))
    changed = trainee_row("E1", Status="Orlov", Afdeling="Skole")
    response = upload(client, "v2.csv", csv_bytes(TRAINEE_HEADERS, [changed]))
    run_worker()
    page = client.get(response["Location"] + "?vis=aendrede").content.decode()
    assert "Fagområde: <del>Ældre og Sundhed</del> → <ins>Skole</ins>" in page
    assert "Status: <del>Aktiv</del> → <ins>Orlov</ins>" in page


def test_preview_shows_a_new_rows_values_without_repeating_its_label(
    login, hr, hillerod, run_worker
):
    client = login(hr)
    response = upload(client, "v1.csv", csv_bytes(TRAINEE_HEADERS, [trainee_row("E1")]))
    run_worker()
    page = client.get(response["Location"] + "?vis=alle").content.decode()
    values = page.split('class="list-unstyled mb-0 import-changes">')[1].split("</ul>")[0]
    assert "Fagområde: Ældre og Sundhed" in values
    assert "Status: Aktiv" in values
    # The id and the name are the row's label, not repeated among its values.
    assert "E1 Anna Holm" in page
    assert "E1" not in values and "Anna" not in values and "Holm" not in values


def test_rejected_rows_download_neutralises_formula_cells(login, hr, hillerod, run_worker):
    rows = [trainee_row("=HYPERLINK(1)", Uddannelse="Astronaut"), trainee_row("E2")]
    client = login(hr)
    upload(client, "elever.csv", csv_bytes(TRAINEE_HEADERS, rows))
    run_worker()
    batch = ImportBatch.objects.get()
    response = client.get(batch.get_absolute_url() + "?hent=afviste")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    text = response.content.decode("utf-8-sig")
    assert text.splitlines() == [
        "Række;Nøgle;Kolonne;Årsag",
        "2;'=HYPERLINK(1);Uddannelse;ukendt uddannelse «Astronaut»",
    ]


def _previewed(client, hillerod, run_worker, rows):
    from tests.imports.conftest import TRAINEE_HEADERS as headers

    response = upload(client, "elever.csv", csv_bytes(headers, rows))
    run_worker()
    return ImportBatch.objects.get(), response["Location"]


def test_new_rows_show_the_mapped_values_in_the_preview(login, hr, hillerod, run_worker):
    client = login(hr)
    _batch, url = _previewed(
        client, hillerod, run_worker, [trainee_row("E1", Uddannelse="SOSU-assistent")]
    )
    html = client.get(url, {"vis": "nye"}).content.decode()
    for shown in (
        "Uddannelse: Social- og sundhedsassistent",
        "Fagområde: Ældre og Sundhed",
        "Startdato: 01.02.2023",
        "Status: Aktiv",
    ):
        assert shown in html, shown


def test_the_preview_search_finds_part_of_an_id_or_a_name_in_any_case(
    login, hr, hillerod, run_worker
):
    client = login(hr)
    rows = [
        trainee_row("H2101", Fornavn="Rikke"),
        trainee_row("H2102", Fornavn="Sofie"),
        trainee_row("X900", Fornavn="Mads"),
    ]
    _batch, url = _previewed(client, hillerod, run_worker, rows)

    def found(q):
        return {row.key for row in client.get(url, {"vis": "alle", "q": q}).context["page"]}

    assert found("h21") == {"H2101", "H2102"}
    assert found("sof") == {"H2102"}
    assert found("") == {"H2101", "H2102", "X900"}
    assert 'name="q" value="h21"' in client.get(url, {"q": "h21"}).content.decode()


def test_import_pages_show_the_users_full_name_not_the_login(login, hr, hillerod, run_worker):
    hr.first_name, hr.last_name = "Hanne", "Holst"
    hr.save()
    client = login(hr)
    batch, url = _previewed(client, hillerod, run_worker, [trainee_row("E1")])
    client.post(reverse("imports:batch_confirm", args=[batch.pk]))
    for page in (client.get(LIST), client.get(url)):
        html = page.content.decode()
        assert "Hanne Holst" in html
        assert "af hanne" not in html and "<td>hanne</td>" not in html
    assert "Importeret" in client.get(url).content.decode()
