"""The supervisor pages: scope, current trainees, filters, export, access log, query counts."""

import csv
import datetime
import io

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from apps.core.models import AuditEntry
from tests.factories import SupervisorFactory, TraineeFactory, WorkplaceFactory
from tests.supervisors.conftest import place

pytestmark = pytest.mark.django_db

LIST = reverse("supervisors:supervisor_list")
EXPORT = reverse("supervisors:supervisor_export")


def detail(supervisor):
    return reverse("supervisors:supervisor_detail", args=[supervisor.pk])


def listed(response) -> set[str]:
    return {s.name for s in response.context["page"].object_list}


def test_anonymous_users_are_sent_to_login(client, elderly_supervisor):
    for url in (LIST, detail(elderly_supervisor), EXPORT):
        response = client.get(url)
        assert response.status_code == 302
        assert response.url.startswith(reverse("accounts:login"))


def test_kkr_analysts_get_403(login, kkr, elderly_supervisor):
    client = login(kkr)
    for url in (LIST, detail(elderly_supervisor), EXPORT):
        assert client.get(url).status_code == 403


def test_a_leader_lists_only_their_departments_supervisors(
    login, leader, elderly_supervisor, school_supervisor, foreign_supervisor
):
    assert listed(login(leader).get(LIST)) == {"Tina Møller"}


def test_hr_and_coordinators_list_the_whole_municipality(
    login, hr, coordinator, elderly_supervisor, school_supervisor, foreign_supervisor
):
    for user in (hr, coordinator):
        assert listed(login(user).get(LIST)) == {"Tina Møller", "Sune Skov"}


def test_a_leader_gets_404_for_another_departments_or_municipalitys_supervisor(
    login, leader, school_supervisor, foreign_supervisor
):
    client = login(leader)
    assert client.get(detail(school_supervisor)).status_code == 404
    assert client.get(detail(foreign_supervisor)).status_code == 404


def test_the_list_groups_by_workplace_with_qualification_and_current_trainees(
    login, hr, elderly_supervisor, current_trainee
):
    html = login(hr).get(LIST).content.decode()
    assert "<caption>Plejecenter Bakkehuset" in html
    assert "Vejlederuddannelse" in html
    assert "Asta Andersen" in html


def test_past_placements_are_not_current_trainees(login, hr, elderly, elderly_supervisor):
    trainee = TraineeFactory(department=elderly, first_name="Gammel", last_name="Elev")
    place(
        trainee,
        elderly_supervisor,
        start=datetime.date(2022, 1, 1),
        end=datetime.date(2022, 3, 1),
    )
    response = login(hr).get(LIST)
    supervisor = next(iter(response.context["page"].object_list))
    assert supervisor.current_placements == []
    assert "Gammel Elev" in login(hr).get(detail(elderly_supervisor)).content.decode()


def test_a_leader_does_not_see_another_departments_trainee_at_their_workplace(
    login, leader, school, elderly_supervisor
):
    visiting = TraineeFactory(department=school, first_name="Besøg", last_name="Fraskolen")
    place(visiting, elderly_supervisor)
    client = login(leader)
    assert "Fraskolen" not in client.get(LIST).content.decode()
    assert "Fraskolen" not in client.get(detail(elderly_supervisor)).content.decode()


def test_filters_by_qualification_workplace_and_search(
    login, hr, nursing_home, elderly_supervisor, school_supervisor
):
    client = login(hr)
    assert listed(client.get(LIST, {"qualification": "amu"})) == {"Tina Møller"}
    assert listed(client.get(LIST, {"workplace": nursing_home.pk})) == {"Tina Møller"}
    assert listed(client.get(LIST, {"q": "skov"})) == {"Sune Skov"}
    assert listed(client.get(LIST, {"active": "no"})) == set()


def test_a_partial_medarbejder_id_finds_the_supervisor_in_any_case(
    login, hr, elderly_supervisor, school_supervisor
):
    elderly_supervisor.hr_id, school_supervisor.hr_id = "M4711", "M5800"
    elderly_supervisor.save()
    school_supervisor.save()
    client = login(hr)
    assert listed(client.get(LIST, {"q": "m47"})) == {"Tina Møller"}
    assert listed(client.get(LIST, {"q": "M"})) == {"Tina Møller", "Sune Skov"}


def test_viewing_a_supervisor_and_searching_are_logged(login, hr, elderly_supervisor):
    client = login(hr)
    client.get(detail(elderly_supervisor))
    client.get(LIST, {"q": "Tina"})
    view = AuditEntry.objects.get(action="view")
    assert (view.object_type, view.object_id) == (
        "supervisors.supervisor",
        str(elderly_supervisor.pk),
    )
    assert AuditEntry.objects.get(action="search").context["criteria"] == {"q": "Tina"}


def test_export_in_both_formats_is_neutralised_and_logged(login, hr, nursing_home):
    SupervisorFactory(workplace=nursing_home, name="=HYPERLINK(1)")
    client = login(hr)
    sheet = openpyxl.load_workbook(io.BytesIO(client.get(EXPORT).content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][1] == "Navn" and rows[1][1] == "'=HYPERLINK(1)"
    content = client.get(EXPORT, {"format": "csv"}).content
    assert content.startswith(b"\xef\xbb\xbf")
    csv_rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig")), delimiter=";"))
    assert csv_rows[1][1] == "'=HYPERLINK(1)"
    entries = AuditEntry.objects.filter(action="export")
    assert [e.context["rows"] for e in entries] == [1, 1]


def test_query_count_does_not_grow_with_supervisors_or_trainees(login, hr, elderly, school):
    client = login(hr)
    SupervisorFactory(workplace=WorkplaceFactory(department=elderly))
    with CaptureQueriesContext(connection) as small:
        client.get(LIST)
    for department in (elderly, school):
        workplace = WorkplaceFactory(department=department)
        for supervisor in SupervisorFactory.create_batch(8, workplace=workplace):
            place(TraineeFactory(department=department), supervisor)
    with CaptureQueriesContext(connection) as large:
        response = client.get(LIST)
    assert len(response.context["page"].object_list) == 17
    assert len(small) == len(large)


def test_an_admin_edit_of_a_supervisor_is_audited(login, admin_user, elderly_supervisor):
    client = login(admin_user)
    url = reverse("admin:supervisors_supervisor_change", args=[elderly_supervisor.pk])
    form = client.get(url).context["adminform"].form
    data = {n: form[n].value() for n in form.fields if form[n].value() is not None}
    data["name"] = "Tina Mølgaard"
    assert client.post(url, data).status_code == 302
    entry = AuditEntry.objects.get(action="supervisors.supervisor.updated")
    assert entry.changes == {"name": ["Tina Møller", "Tina Mølgaard"]}
    elderly_supervisor.refresh_from_db()
    assert elderly_supervisor.version == 2
