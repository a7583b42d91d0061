"""Who sees which flags: a leader their departments' on their dashboard and the flag's page,
HR and coordinators the municipality's list with filters; the trainee's page shows it; a
flag is marked "sat i gang" with a note; coordinators set the threshold."""

from decimal import Decimal

import pytest
from django.urls import reverse

from apps.alerts.models import AbsenceFlag, AlertSettings, FlagStatus
from apps.alerts.services import absence_flags_recompute
from apps.core.models import AuditEntry
from tests.alerts.conftest import OCT, absence
from tests.factories import TraineeFactory

pytestmark = pytest.mark.django_db
# Session (read and save) and user, the audit entry (with its savepoints), programmes, count,
# settings, the rows, the municipality and departments of the filter form: not one per row.
QUERIES = 14


@pytest.fixture
def flags(municipality, flagged_pair):
    absence_flags_recompute(municipality_id=municipality.pk)
    mine, theirs, _fine = flagged_pair
    return AbsenceFlag.objects.get(trainee=mine), AbsenceFlag.objects.get(trainee=theirs)


def test_a_leader_sees_only_their_departments_flags_on_the_dashboard(login, leader, elderly, flags):
    mine, theirs = flags
    page = login(leader).get(reverse("dashboards:department", args=[elderly.pk]))
    html = page.content.decode()
    assert page.status_code == 200
    assert "Elever med højt sygefravær" in html
    assert "Ida Ældre" in html and "15,0\N{NO-BREAK SPACE}%" in html
    assert "Sofus Skole" not in html and "Frida Fin" not in html
    assert reverse("alerts:flag_detail", args=[mine.pk]) in html


def test_a_leader_gets_404_for_another_departments_flag_and_403_for_the_list(login, leader, flags):
    mine, theirs = flags
    client = login(leader)
    assert client.get(reverse("alerts:flag_detail", args=[theirs.pk])).status_code == 404
    assert client.get(reverse("alerts:flag_detail", args=[mine.pk])).status_code == 200
    assert client.get(reverse("alerts:flag_list")).status_code == 403


def test_hr_lists_the_municipalitys_flags_and_filters_them(
    login, hr, elderly, school, flags, django_assert_num_queries
):
    client = login(hr)
    url = reverse("alerts:flag_list")
    with django_assert_num_queries(QUERIES):
        html = client.get(url).content.decode()
    assert "Ida Ældre" in html and "Sofus Skole" in html and "Frida Fin" not in html
    html = client.get(url, {"department": school.pk}).content.decode()
    assert "Sofus Skole" in html and "Ida Ældre" not in html
    html = client.get(url, {"programme": "SSA"}).content.decode()
    assert "Sofus Skole" not in html and "Ida Ældre" not in html
    response = client.get(url, {"department": "999999"})
    assert "Vælg en af mulighederne på listen." in response.content.decode()


def test_the_list_takes_the_same_queries_for_more_flags(
    login, coordinator, municipality, elderly, flags, django_assert_num_queries
):
    for _ in range(5):
        absence(TraineeFactory(department=elderly), OCT, 10, 20)
    absence_flags_recompute(municipality_id=municipality.pk)
    client = login(coordinator)
    with django_assert_num_queries(QUERIES):
        response = client.get(reverse("alerts:flag_list"))
    assert response.content.decode().count("/sygefravaer/") >= 7


def test_the_trainee_page_shows_the_flag(login, leader, flags):
    mine, _theirs = flags
    html = login(leader).get(reverse("trainees:trainee_detail", args=[mine.trainee_id]))
    html = html.content.decode()
    assert "Varsel om højt sygefravær" in html
    assert reverse("alerts:flag_detail", args=[mine.pk]) in html


def test_a_leader_marks_a_flag_set_in_motion_with_a_note(login, leader, flags):
    mine, _theirs = flags
    client = login(leader)
    url = reverse("alerts:flag_detail", args=[mine.pk])
    response = client.post(url, {"note": "Samtale holdt, vejleder orienteret", "version": 1})
    assert response.status_code == 302
    mine.refresh_from_db()
    assert mine.status == FlagStatus.IN_MOTION and mine.version == 2
    action = mine.actions.get()
    assert (action.note, action.created_by) == ("Samtale holdt, vejleder orienteret", leader)
    entry = AuditEntry.objects.get(action="alerts.absenceflag.set_in_motion")
    assert entry.actor == leader and entry.changes["status"] == ["open", "in_motion"]
    html = client.get(url).content.decode()
    assert "Samtale holdt, vejleder orienteret" in html and "Sat i gang" in html
    assert "Markeret: sygefravær over tærsklen" in html  # the history, in Danish
    assert "alerts.absenceflag" not in html
    trainee_page = client.get(reverse("trainees:trainee_detail", args=[mine.trainee_id]))
    assert "Samtale holdt, vejleder orienteret" in trainee_page.content.decode()


def test_an_empty_note_or_a_stale_version_is_refused_in_danish(login, hr, flags):
    mine, _theirs = flags
    client = login(hr)
    url = reverse("alerts:flag_detail", args=[mine.pk])
    response = client.post(url, {"note": "  ", "version": 1})
    assert response.status_code == 200
    assert "Skriv kort, hvad der er sat i gang." in response.content.decode()
    response = client.post(url, {"note": "Samtale", "version": 7})
    assert response.status_code == 200
    assert "Varslet er ændret" in response.content.decode()
    assert not mine.actions.exists()


def test_a_coordinator_sets_the_threshold_and_the_flags_follow(
    login, coordinator, municipality, flags
):
    client = login(coordinator)
    url = reverse("alerts:settings")
    assert client.get(url).status_code == 200
    response = client.post(url, {"absence_threshold": "15", "version": 1})
    assert response.status_code == 302
    assert AlertSettings.objects.get(municipality=municipality).absence_threshold == 15
    # 15 % is not above 15 %: both flags are closed, not deleted.
    assert AbsenceFlag.objects.current().count() == 0 and AbsenceFlag.objects.count() == 2
    response = client.post(url, {"absence_threshold": "12,5", "version": 2})
    assert response.status_code == 302
    assert AlertSettings.objects.get(municipality=municipality).absence_threshold == Decimal("12.5")
    assert AbsenceFlag.objects.current().count() == 2
    response = client.post(url, {"absence_threshold": "0", "version": 3})
    assert response.status_code == 200
    assert "Tærsklen skal være over 0 %." in response.content.decode()
    assert AlertSettings.objects.get(municipality=municipality).absence_threshold == Decimal("12.5")


def test_only_coordinators_set_the_threshold(login, hr, leader):
    assert login(hr).get(reverse("alerts:settings")).status_code == 403
    assert login(leader).get(reverse("alerts:settings")).status_code == 403
