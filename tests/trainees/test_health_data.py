"""Health-related dropout reasons (GDPR art. 9) never reach a role that may not see them.

Rule (SECURITY.md, "Health data"): a role without `can_see_health` (leaders, KKR) sees no
dropout reason per person at all - neither the catalogue reason nor the free-text note - in
the list, the trainee page, the change history, filters, search and exports; only counts by
reason on the dashboards. HR, coordinators and admins see everything.
"""

import csv
import datetime
import io
import re
from pathlib import Path

import openpyxl
import pytest
from django.conf import settings
from django.contrib.admin.sites import site
from django.test import RequestFactory
from django.urls import reverse

from apps.accounts.scope import scope_for_user
from apps.core.admin import AuditEntryAdmin
from apps.core.audit import audit_record
from apps.core.models import AuditEntry
from apps.imports.models import BatchStatus
from apps.imports.services import (
    import_batch_commit,
    import_batch_preview,
    import_batch_start,
    import_batch_undo,
)
from apps.trainees.models import Trainee
from tests.factories import SupervisorFactory, TraineeFactory, WorkplaceFactory
from tests.imports.conftest import TRAINEE_HEADERS, csv_bytes, trainee_row, write_xlsx

pytestmark = pytest.mark.django_db

LIST = reverse("trainees:trainee_list")
EXPORT = reverse("trainees:trainee_export")
HEALTH_LABEL = "Fysisk/psykisk sygdom"
# Every way the illness reason can be spelled: label, aliases and code.
HEALTH_WORDS = [HEALTH_LABEL, "Fysisk sygdom", "Psykisk sygdom", "illness"]
FREE_TEXT = "Kræft – kemoterapi"


def detail(trainee):
    return reverse("trainees:trainee_detail", args=[trainee.pk])


def leaks(content: bytes, words) -> list[str]:
    """The `words` found in a response body, raw or HTML-escaped."""
    text = content.decode("utf-8", errors="replace")
    found = []
    for word in words:
        escaped = word.replace("&", "&amp;").replace("'", "&#x27;").replace('"', "&quot;")
        # Whole words only: "Kræft" must not match the menu's "Totrinsbekræftelse".
        pattern = rf"(?<!\w)(?:{re.escape(word)}|{re.escape(escaped)})(?!\w)"
        if re.search(pattern, text, flags=re.IGNORECASE):
            found.append(word)
    return found


def import_file(path: Path, actor):
    batch = import_batch_start(
        municipality=actor.municipality, actor=actor, path=path, requested_kind=""
    )
    batch = import_batch_preview(batch=batch, path=path)
    assert batch.status == BatchStatus.READY, batch.message
    return import_batch_commit(batch=batch, actor=actor)


def dropped_out(hr_id: str, reason: str, **overrides) -> list:
    return trainee_row(
        hr_id,
        Status="Afbrudt",
        Frafaldsårsag=reason,
        Slutdato=datetime.date(2023, 6, 30),
        **overrides,
    )


def write_file(tmp_path: Path, kind: str, rows: list[list], name: str) -> Path:
    if kind == "xlsx":
        return write_xlsx(tmp_path / f"{name}.xlsx", TRAINEE_HEADERS, rows)
    path = tmp_path / f"{name}.csv"
    path.write_bytes(csv_bytes(TRAINEE_HEADERS, rows, encoding="utf-8", bom=True))
    return path


@pytest.mark.parametrize("kind", ["xlsx", "csv"])
@pytest.mark.parametrize(
    ("reason_text", "words"),
    [
        (HEALTH_LABEL, HEALTH_WORDS),
        ("Psykisk sygdom", HEALTH_WORDS),
        (FREE_TEXT, [FREE_TEXT, "Kræft", "kemoterapi"]),
        ("Stress og angst", ["Stress og angst", "angst"]),
    ],
)
def test_a_leaders_trainee_page_never_shows_an_imported_reason_also_after_undo(
    login, hr, leader, coordinator, elderly, tmp_path, kind, reason_text, words
):
    import_file(write_file(tmp_path, kind, [trainee_row("E7001")], "first"), hr)
    second = import_file(write_file(tmp_path, kind, [dropped_out("E7001", reason_text)], "two"), hr)
    trainee = Trainee.objects.get(hr_id="E7001")
    assert trainee.dropout_reason is not None

    def check():
        page = login(leader).get(detail(trainee))
        assert page.status_code == 200
        assert leaks(page.content, words) == []
        assert "Frafaldsårsag: – →" not in re.sub(r"<[^>]+>|\s+", " ", page.content.decode())
        for user in (hr, coordinator):
            assert leaks(login(user).get(detail(trainee)).content, words[:1]) == words[:1]

    check()
    import_batch_undo(batch=second, actor=hr)
    assert AuditEntry.objects.filter(action="trainees.trainee.import_undone").exists()
    check()


def _reason_parts(content: bytes, trainee: Trainee) -> str:
    """The page with what differs between two persons anyway (id, name, per-request tokens)
    taken out, so what is left must be the same for two trainees."""
    html = content.decode()
    html = re.sub(r'nonce="[^"]*"', "", html)
    html = re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", html)
    html = re.sub(r'"X-CSRFToken": "[^"]*"', "", html)
    html = html.replace(f"/elever/{trainee.pk}/", "/elever/ID/")
    return html.replace(trainee.hr_id, "HRID")


def test_a_leader_cannot_tell_an_illness_dropout_from_an_economic_one(
    login, hr, leader, elderly, tmp_path
):
    rows = [dropped_out("E8001", HEALTH_LABEL), dropped_out("E8002", "Økonomi")]
    import_file(write_file(tmp_path, "xlsx", rows, "two"), hr)
    sick, broke = Trainee.objects.get(hr_id="E8001"), Trainee.objects.get(hr_id="E8002")
    assert sick.dropout_reason.code == "illness" and broke.dropout_note == "Økonomi"
    client = login(leader)
    sick_page, broke_page = client.get(detail(sick)), client.get(detail(broke))
    assert _reason_parts(sick_page.content, sick) == _reason_parts(broke_page.content, broke)
    listing = client.get(LIST).content.decode()
    rows_html = re.findall(r"<tr>\s*<th scope=\"row\">.*?</tr>", listing, re.S)
    sick_row = next(r for r in rows_html if "E8001" in r)
    broke_row = next(r for r in rows_html if "E8002" in r)
    assert _reason_parts(sick_row.encode(), sick) == _reason_parts(broke_row.encode(), broke)
    # HR tells them apart.
    hr_client = login(hr)
    assert HEALTH_LABEL in hr_client.get(detail(sick)).content.decode()
    assert "Økonomi" in hr_client.get(detail(broke)).content.decode()


def test_a_leader_sees_no_reason_column_filter_or_note_anywhere_in_the_list(
    login, leader, sick_dropout
):
    html = login(leader).get(LIST).content.decode()
    assert "Frafaldsårsag" not in html
    assert leaks(html.encode(), [*HEALTH_WORDS, "Langvarig sygemelding", "Andet"]) == []


@pytest.mark.parametrize("code", ["illness", "other", "absence", "no-such-reason"])
def test_a_leaders_reason_filter_answers_every_code_like_an_unknown_one(
    login, leader, sick_dropout, elderly_trainee, code
):
    from tests.trainees.test_views import _without_per_request_tokens, names

    client = login(leader)
    unknown = client.get(LIST, {"dropout_reason": "no-such-reason"})
    response = client.get(LIST, {"dropout_reason": code})
    assert names(response) == set()
    assert _without_per_request_tokens(response.content) == _without_per_request_tokens(
        unknown.content
    )
    assert f'value="{code}"' not in response.content.decode()


def test_a_leader_cannot_find_a_dropout_by_searching_its_note(login, leader, elderly):
    TraineeFactory(
        department=elderly,
        hr_id="E1003",
        status="dropped_out",
        dropout_reason=_reason("other"),
        dropout_note=FREE_TEXT,
        end_date=datetime.date(2023, 3, 1),
    )
    from tests.trainees.test_views import names

    assert names(login(leader).get(LIST, {"q": "Kræft"})) == set()


def _reason(code):
    from apps.trainees.models import DropoutReason

    return DropoutReason.objects.get(code=code)


# --- exports -----------------------------------------------------------------------------


def read_csv(content: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig")), delimiter=";"))


def read_xlsx(content: bytes) -> list[list]:
    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    return [["" if v is None else str(v) for v in row] for row in sheet.iter_rows(values_only=True)]


@pytest.fixture
def free_text_dropout(elderly):
    return TraineeFactory(
        department=elderly,
        hr_id="E1004",
        status="dropped_out",
        dropout_reason=_reason("other"),
        dropout_note="Stress og angst",
        end_date=datetime.date(2023, 5, 1),
    )


def test_a_leaders_exports_hold_no_reason_and_no_note(
    login, leader, sick_dropout, free_text_dropout
):
    client = login(leader)
    csv_rows = read_csv(client.get(EXPORT, {"format": "csv"}).content)
    xlsx_rows = read_xlsx(client.get(EXPORT, {"format": "xlsx"}).content)
    for rows in (csv_rows, xlsx_rows):
        assert {row[0] for row in rows[1:]} == {"E1002", "E1004"}
        assert "Frafaldsårsag" not in rows[0] and "Note om frafald" not in rows[0]
        cells = " ".join(" ".join(row) for row in rows)
        assert (
            leaks(cells.encode(), [*HEALTH_WORDS, "Langvarig sygemelding", "Stress og angst"]) == []
        )
        assert "Andet" not in cells


def test_hr_and_coordinators_export_the_reason_and_the_note(
    login, hr, coordinator, sick_dropout, free_text_dropout
):
    for user in (hr, coordinator):
        for rows in (
            read_csv(login(user).get(EXPORT, {"format": "csv"}).content),
            read_xlsx(login(user).get(EXPORT, {"format": "xlsx"}).content),
        ):
            reason, note = rows[0].index("Frafaldsårsag"), rows[0].index("Note om frafald")
            by_id = {row[0]: row for row in rows[1:]}
            assert by_id["E1002"][reason] == HEALTH_LABEL
            assert by_id["E1002"][note] == "Langvarig sygemelding"
            assert (by_id["E1004"][reason], by_id["E1004"][note]) == ("Andet", "Stress og angst")


# --- every place that renders audit changes ----------------------------------------------

TEMPLATES = Path(settings.BASE_DIR) / "templates"
HISTORY_FRAGMENT = "trainees/_history.html"
# Templates that render audit changes of strategy objects and KPI targets only (never a
# person's); a new template that renders `.changes` must be added here or use the fragment.
NON_PERSON_CHANGE_TEMPLATES = {"strategy/partials.html", "kpis/indicator_detail.html"}


def _templates():
    for path in TEMPLATES.rglob("*.html"):
        yield path.relative_to(TEMPLATES).as_posix(), path.read_text(encoding="utf-8")


def test_person_history_is_rendered_by_one_fragment_only():
    renders_changes = {
        name for name, text in _templates() if re.search(r"\.changes\b|changes\.items", text)
    }
    assert renders_changes - NON_PERSON_CHANGE_TEMPLATES == {HISTORY_FRAGMENT}


def _history_pages(trainee, supervisor) -> dict[str, str]:
    return {
        "trainees/trainee_detail.html": detail(trainee),
        "supervisors/supervisor_detail.html": reverse(
            "supervisors:supervisor_detail", args=[supervisor.pk]
        ),
    }


SPELLINGS = [
    {"dropout_reason": [None, HEALTH_LABEL]},
    {"dropout_reason_id": [None, HEALTH_LABEL]},
    {"dropout_reason_id": [None, 4]},
    {"Frafaldsårsag": ["", HEALTH_LABEL]},
    {"dropout_reason__code": [None, "illness"]},
    {"status": ["Aktiv", "Afbrudt"], "årsag": [None, "Psykisk sygdom"]},
    {"dropout_note": ["", FREE_TEXT]},
    {"Note om frafald": ["", FREE_TEXT]},
]


@pytest.mark.parametrize("changes", SPELLINGS, ids=lambda c: ",".join(c))
def test_every_history_page_masks_the_reason_however_the_field_is_spelled(
    login, hr, leader, elderly, changes
):
    trainee = TraineeFactory(department=elderly, hr_id="E1005")
    supervisor = SupervisorFactory(workplace=WorkplaceFactory(department=elderly))
    placement_like = {**changes, "workplace": [None, "Plejecenter Bakkegården"]}
    audit_record(actor=hr, action="trainees.trainee.imported", obj=trainee, changes=changes)
    audit_record(
        actor=hr, action="supervisors.supervisor.updated", obj=supervisor, changes=placement_like
    )
    pages = _history_pages(trainee, supervisor)
    includers = {
        name for name, text in _templates() if re.search(rf"include\s+\"{HISTORY_FRAGMENT}\"", text)
    }
    assert includers == set(pages), "a new page shows history: add it to _history_pages"
    words = [HEALTH_LABEL, "Psykisk sygdom", "illness", FREE_TEXT, "kemoterapi"]
    for url in pages.values():
        leader_page = login(leader).get(url)
        assert leader_page.status_code == 200
        assert "Historik" in leader_page.content.decode()
        assert leaks(leader_page.content, words) == []
        if "dropout_reason" in str(changes) or "Frafaldsårsag" in changes:
            assert '"change-field">Frafaldsårsag</span>' in leader_page.content.decode()
    hr_trainee = login(hr).get(detail(trainee)).content.decode()
    shown = [str(v) for values in changes.values() for v in values if v not in (None, "")]
    assert shown and all(v in hr_trainee for v in shown)


def test_the_admin_audit_view_masks_the_reason_for_a_role_without_health_access(
    hr, leader, admin_user, elderly
):
    trainee = TraineeFactory(department=elderly)
    entry = audit_record(
        actor=hr,
        action="trainees.trainee.imported",
        obj=trainee,
        changes={"dropout_reason_id": [None, HEALTH_LABEL], "dropout_note": ["", FREE_TEXT]},
    )
    model_admin = AuditEntryAdmin(AuditEntry, site)
    request = RequestFactory().get("/")
    request.user, request.scope = leader, scope_for_user(leader)
    # The admin is for administrators only: a leader's request reaches no entry at all,
    # and had it reached one, the mask would apply (AuditMask, tested in tests/privacy).
    assert model_admin.get_object(request, str(entry.pk)) is None
    request.user, request.scope = admin_user, scope_for_user(admin_user)
    shown = model_admin.get_object(request, str(entry.pk))
    assert shown.changes["dropout_reason_id"] == [None, HEALTH_LABEL]


# --- dashboards --------------------------------------------------------------------------


def test_a_leaders_department_dashboard_links_no_reason_to_persons(
    login, leader, coordinator, sick_dropout
):
    from apps.kpis.services import measurements_recompute

    # Five dropouts for each of three non-health reasons: counts the small-number rule lets
    # through even after it hides a second count beside the single illness dropout.
    for i in range(15):
        TraineeFactory(
            department=sick_dropout.department,
            hr_id=f"E60{i:02d}",
            status="dropped_out",
            dropout_reason=_reason(("absence", "private", "academic")[i % 3]),
            start_date=datetime.date(2023, 1, 9),
            end_date=datetime.date(2023, 9, 1),
        )
    measurements_recompute(
        municipality_id=leader.municipality_id, as_of=datetime.date(2023, 12, 31)
    )
    url = reverse("dashboards:department", args=[sick_dropout.department_id]) + "?year=2023"
    response = login(leader).get(url)
    assert response.status_code == 200
    assert "dropout_reason=" not in response.content.decode()
    assert "Frafald efter årsag" in response.content.decode()
    coordinator_page = login(coordinator).get(url).content.decode()
    assert (
        "dropout_reason=absence" in coordinator_page
        and "dropout_reason=illness" in coordinator_page
    )


def test_masking_the_history_costs_no_query_per_entry(login, hr, leader, sick_dropout):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def record(n):
        for i in range(n):
            audit_record(
                actor=hr,
                action="trainees.trainee.updated",
                obj=sick_dropout,
                changes={"dropout_note": ["", f"Note {i}"], "status": ["Aktiv", "Afbrudt"]},
            )

    client = login(leader)
    record(1)
    with CaptureQueriesContext(connection) as few:
        client.get(detail(sick_dropout))
    record(20)
    with CaptureQueriesContext(connection) as many:
        page = client.get(detail(sick_dropout))
    assert page.content.decode().count("Skjult") == 2 * 21
    assert len(few) == len(many)
