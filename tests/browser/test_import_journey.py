"""Journey 2: HR uploads the month's trainee xlsx with some bad rows, with the keyboard alone,
watches the check's progress, reads the preview and the rejected rows' reasons, confirms,
finds the import in the history and undoes it. A file that is not a spreadsheet is refused
at its field and changes nothing."""

import datetime
import re

import openpyxl
import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from apps.demo.organisation import load_organisation
from apps.trainees.models import Trainee
from tests.browser.helpers import (
    assert_accessible,
    assert_error_described,
    choose_file_by_keyboard,
    tab_to,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

HEADERS = ["Elev-ID", "Fornavn", "Efternavn", "Uddannelse", "Afdeling", "Startdato", "Status"]


@pytest.fixture
def trainee_xlsx(tmp_path, municipality):
    """Hillerød's demo organisation and a trainee export: three good rows, two bad ones."""
    load_organisation()
    start = datetime.date(2026, 8, 1)
    rows = [
        ["B1001", "Asta", "Holm", "SSH", "Ældre og Sundhed", start, "Aktiv"],
        ["B1002", "Bo", "Lund", "SSA", "Ældre og Sundhed", start, "Aktiv"],
        ["B1003", "Cecilie", "Berg", "PAU", "Dagtilbud", start, "Aktiv"],
        ["B1004", "Dan", "Kok", "Astronaut", "Ældre og Sundhed", start, "Aktiv"],
        ["B1005", "Eva", "Ibsen", "SSH", "Månebasen", start, "Aktiv"],
    ]
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "Elever"
    sheet.append(HEADERS)
    for row in rows:
        sheet.append(row)
    path = tmp_path / "elever-november.xlsx"
    workbook.save(path)
    return path


def drain_task_queue():
    """The background worker, as `manage.py db_worker` runs it, until the queue is empty."""
    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)


def test_hr_imports_a_trainee_file_with_bad_rows_confirms_and_undoes_it(page_for, hr, trainee_xlsx):
    page = page_for(hr)
    expect(page.get_by_role("heading", level=1)).to_have_text("Import af regneark")
    assert_accessible(page)

    # Keyboard only: Space on the file field opens the file chooser.
    choose_file_by_keyboard(page, page.get_by_label("Regneark (xlsx eller csv)"), trainee_xlsx)
    tab_to(page, page.get_by_label("Filens indhold"))
    tab_to(page, page.get_by_role("button", name="Upload og kontrollér"))
    with page.expect_navigation():
        page.keyboard.press("Enter")

    # The check runs in the background; the page shows its progress and polls.
    expect(page.get_by_role("heading", level=1)).to_have_text("Import af elever-november.xlsx")
    waiting = re.compile("Filen (venter på at blive kontrolleret|kontrolleres)")
    progress = page.get_by_role("status").filter(has_text=waiting)
    expect(progress).to_be_visible()
    expect(progress.get_by_role("progressbar", name=waiting)).to_be_visible()
    assert_accessible(page)
    drain_task_queue()

    # The preview: counts, the rejected rows with row, column and reason.
    # The page polls every 2 s; the default state timeout covers a loaded machine.
    expect(page.get_by_role("heading", name="Resultat af kontrollen")).to_be_visible()
    expect(progress).to_have_count(0)
    counts = page.get_by_role("region", name="Resultat af kontrollen")
    expect(counts).to_contain_text(re.compile(r"Nye\s*3"))
    expect(counts).to_contain_text(re.compile(r"Afviste\s*2"))
    rejected = page.get_by_role("table", name="2 rækker blev afvist og importeres ikke")
    expect(rejected).to_be_visible()
    expect(rejected.get_by_role("row")).to_have_count(3)
    expect(rejected).to_contain_text(re.compile(r"Række 5, kolonne Uddannelse: .*Astronaut"))
    expect(rejected).to_contain_text(re.compile(r"Række 6, kolonne Afdeling: .*Månebasen"))
    assert_accessible(page)
    assert not Trainee.objects.filter(hr_id__startswith="B100").exists()

    confirm = page.get_by_role("button", name="Bekræft import")
    tab_to(page, confirm)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.get_by_role("status")).to_contain_text(
        "Importen er gennemført: 3 nye og 0 ændrede rækker."
    )
    assert sorted(Trainee.objects.values_list("hr_id", flat=True)) == ["B1001", "B1002", "B1003"]
    assert_accessible(page)

    # The history on the import page lists it; from there it is undone.
    menu = page.get_by_role("navigation", name="Hovedmenu")
    tab_to(page, menu.get_by_role("link", name="Import", exact=True))
    with page.expect_navigation():
        page.keyboard.press("Enter")
    history = page.get_by_role("table", name=re.compile("Tidligere importer"))
    entry = history.get_by_role("row").filter(has_text="elever-november.xlsx")
    expect(entry).to_contain_text("Importeret")
    expect(entry).to_contain_text(hr.get_full_name())
    assert_accessible(page)
    tab_to(page, entry.get_by_role("link", name="elever-november.xlsx"))
    with page.expect_navigation():
        page.keyboard.press("Enter")
    undo = page.get_by_role("link", name="Fortryd import")
    assert_accessible(page)
    tab_to(page, undo)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    # A page of its own says what undoing does; only its button undoes the import.
    expect(page.get_by_role("heading", level=1)).to_have_text("Fortryd import")
    expect(page.get_by_role("list").filter(has_text="bliver slettet")).to_be_visible()
    assert Trainee.objects.filter(hr_id__startswith="B100").exists()
    assert_accessible(page)
    tab_to(page, page.get_by_role("button", name="Ja, fortryd importen"))
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.get_by_role("status")).to_contain_text("Importen er fortrudt.")
    assert not Trainee.objects.filter(hr_id__startswith="B100").exists()
    assert_accessible(page)


def test_a_file_that_is_not_a_spreadsheet_is_refused_at_its_field(page_for, watcher, hr, tmp_path):
    fake = tmp_path / "elever.xlsx"
    fake.write_text("Elev-ID;Fornavn\nB1;Asta\n", encoding="utf-8")
    page = page_for(hr)
    page.get_by_label("Regneark (xlsx eller csv)").set_input_files(fake)
    # The refused upload is answered with status 400, which Chromium logs as an error.
    with watcher.allow(r"status of 400"), page.expect_navigation():
        page.get_by_role("button", name="Upload og kontrollér").click()
    expect(page.get_by_role("alert").first).to_be_visible()
    field = page.get_by_label("Regneark (xlsx eller csv)")
    assert_error_described(page, field, "xlsx")
    assert_accessible(page)
    assert not Trainee.objects.exists()
