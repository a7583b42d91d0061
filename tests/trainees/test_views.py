"""The trainee pages: scope, filters, search, health protection, access log, query counts."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from apps.core.models import AuditEntry
from apps.trainees.choices import TraineeStatus
from apps.trainees.services import trainee_update
from tests.factories import TraineeFactory, programme

pytestmark = pytest.mark.django_db

LIST = reverse("trainees:trainee_list")
HEALTH = "Fysisk/psykisk sygdom"


def detail(trainee):
    return reverse("trainees:trainee_detail", args=[trainee.pk])


def names(response) -> set[str]:
    return {t.hr_id for t in response.context["page"].object_list}


def test_anonymous_users_are_sent_to_login(client, elderly_trainee):
    for url in (LIST, detail(elderly_trainee), reverse("trainees:trainee_export")):
        response = client.get(url)
        assert response.status_code == 302
        assert response.url.startswith(reverse("accounts:login"))


def test_kkr_analysts_get_403_on_every_person_page(login, kkr, elderly_trainee):
    client = login(kkr)
    for url in (
        LIST,
        detail(elderly_trainee),
        reverse("trainees:trainee_export"),
        reverse("trainees:trainee_update", args=[elderly_trainee.pk]),
    ):
        assert client.get(url).status_code == 403


def test_a_leader_lists_only_their_departments_trainees(
    login, leader, elderly_trainee, school_trainee, foreign_trainee
):
    response = login(leader).get(LIST)
    assert response.status_code == 200
    assert names(response) == {"E1001"}


def test_coordinators_and_hr_list_the_whole_municipality(
    login, coordinator, hr, elderly_trainee, school_trainee, foreign_trainee
):
    for user in (coordinator, hr):
        assert names(login(user).get(LIST)) == {"E1001", "E2001"}


def test_a_leader_gets_404_for_another_departments_or_municipalitys_trainee(
    login, leader, school_trainee, foreign_trainee
):
    client = login(leader)
    assert client.get(detail(school_trainee)).status_code == 404
    assert client.get(detail(foreign_trainee)).status_code == 404


def test_a_coordinator_gets_404_for_another_municipalitys_trainee(
    login, coordinator, foreign_trainee
):
    assert login(coordinator).get(detail(foreign_trainee)).status_code == 404


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"programme": "LAER"}, {"E2001"}),
        ({"status": "dropped_out"}, {"E1002"}),
        ({"start_year": "2021"}, {"E3001"}),
        ({"end_year": "2023"}, {"E1002"}),
        ({"recruitment": "internal_ssh"}, {"E3001"}),
        ({"dropout_reason": "illness"}, {"E1002"}),
        ({"hired": "yes"}, {"E3001"}),
        ({"hired": "no"}, {"E1001", "E1002", "E2001"}),
        ({"q": "bech"}, {"E2001"}),
        ({"q": "e3001"}, {"E3001"}),
        ({"start_year": "2030"}, set()),
    ],
)
def test_the_list_filters_by_the_dashboard_parameters(
    login, hr, elderly, elderly_trainee, school_trainee, sick_dropout, params, expected
):
    TraineeFactory(
        department=elderly,
        hr_id="E3001",
        programme=programme("SSA"),
        start_date=datetime.date(2021, 2, 1),
        recruitment="internal_ssh",
        status=TraineeStatus.COMPLETED,
        hired_after=True,
    )
    assert names(login(hr).get(LIST, params)) == expected


def test_the_department_parameter_filters_by_id(login, hr, school, elderly_trainee, school_trainee):
    assert names(login(hr).get(LIST, {"department": school.pk})) == {"E2001"}


def test_a_leader_cannot_filter_by_another_department(
    login, leader, school, elderly_trainee, school_trainee
):
    response = login(leader).get(LIST, {"department": school.pk})
    assert names(response) == set()
    html = response.content.decode()
    assert "Bech" not in html
    assert 'aria-describedby="department-error"' in html and 'id="department-error"' in html


def test_the_filter_form_has_the_labelled_fields_and_a_captioned_table(login, hr, elderly_trainee):
    html = login(hr).get(LIST).content.decode()
    for label in ("Uddannelse", "Fagområde", "Status", "Startår", "Søg"):
        assert re.search(rf"<label[^>]*>{label}</label>", html), label
    assert "<caption>Elever" in html


def test_htmx_requests_get_only_the_results_fragment(login, hr, elderly_trainee):
    response = login(hr).get(LIST, {"q": "Asta"}, headers={"HX-Request": "true"})
    html = response.content.decode()
    assert 'id="results"' in html and "Andersen" in html
    assert "<form" not in html and "<html" not in html


def test_a_leader_never_sees_a_health_related_reason(login, leader, sick_dropout):
    client = login(leader)
    for response in (
        client.get(LIST),
        client.get(detail(sick_dropout)),
        client.get(reverse("trainees:trainee_export"), {"format": "csv"}),
        client.get(reverse("trainees:trainee_export"), {"format": "xlsx"}),
    ):
        assert response.status_code == 200
        assert HEALTH.encode() not in response.content
        assert b"Langvarig sygemelding" not in response.content
        assert "Fortrolig årsag".encode() not in response.content
    assert (
        "Vises kun for HR og uddannelseskonsulenter"
        in client.get(detail(sick_dropout)).content.decode()
    )


def test_hr_and_coordinators_see_the_health_related_reason(login, hr, coordinator, sick_dropout):
    for user in (hr, coordinator):
        assert HEALTH in login(user).get(detail(sick_dropout)).content.decode()


def _without_per_request_tokens(html: bytes) -> str:
    html = html.decode()
    html = re.sub(r'nonce="[^"]*"', "", html)
    html = re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", html)
    return re.sub(r'"X-CSRFToken": "[^"]*"', "", html)


def test_filtering_by_a_hidden_reason_is_indistinguishable_from_an_unknown_code(
    login, leader, sick_dropout, elderly_trainee
):
    client = login(leader)
    hidden = client.get(LIST, {"dropout_reason": "illness"})
    unknown = client.get(LIST, {"dropout_reason": "no-such-reason"})
    assert names(hidden) == names(unknown) == set()
    assert _without_per_request_tokens(hidden.content) == _without_per_request_tokens(
        unknown.content
    )
    assert 'value="illness"' not in hidden.content.decode()


def test_a_leader_cannot_find_a_health_dropout_by_searching_the_reason(login, leader, sick_dropout):
    assert names(login(leader).get(LIST, {"q": "sygdom"})) == set()


def test_viewing_a_trainee_is_logged(login, hr, elderly_trainee):
    login(hr).get(detail(elderly_trainee))
    entry = AuditEntry.objects.get(action="view")
    assert entry.object_type == "trainees.trainee"
    assert entry.object_id == str(elderly_trainee.pk)
    assert entry.actor == hr


def test_a_search_is_logged_with_its_criteria(login, hr, elderly_trainee):
    login(hr).get(LIST, {"q": "Asta", "status": "active"})
    entry = AuditEntry.objects.get(action="search")
    assert entry.context["criteria"] == {"q": "Asta", "status": "active"}
    assert entry.context["results"] == 1


def test_query_count_does_not_grow_with_the_number_of_trainees(login, hr, elderly, school):
    client = login(hr)
    TraineeFactory.create_batch(2, department=elderly)
    with CaptureQueriesContext(connection) as small:
        client.get(LIST)
    TraineeFactory.create_batch(30, department=school, programme=programme("LAER"))
    TraineeFactory.create_batch(10, department=elderly, start_date=datetime.date(2020, 8, 1))
    with CaptureQueriesContext(connection) as large:
        response = client.get(LIST)
    assert len(response.context["page"].object_list) == 42
    assert len(small) == len(large)


def test_the_history_is_danish_and_masks_a_health_reason_for_a_leader(
    login, hr, leader, elderly_trainee, illness
):
    trainee_update(
        trainee=elderly_trainee,
        actor=hr,
        data={
            "status": TraineeStatus.DROPPED_OUT,
            "dropout_reason": illness,
            "dropout_note": "Indlagt",
            "end_date": datetime.date(2023, 4, 1),
        },
        expected_version=1,
    )
    hr_html = login(hr).get(detail(elderly_trainee)).content.decode()
    assert "Rettet" in hr_html and "Frafaldsårsag" in hr_html and "01.04.2023" in hr_html
    assert HEALTH in hr_html and "Indlagt" in hr_html
    leader_html = login(leader).get(detail(elderly_trainee)).content.decode()
    assert re.search(
        r'"change-field">Frafaldsårsag</span>: <span class="change-old">Skjult</span>.*?'
        r'"change-new">Skjult</span>',
        leader_html,
    )
    assert "Note om frafald" not in leader_html  # the note collapses into the reason's line
    assert HEALTH not in leader_html and "Indlagt" not in leader_html


def test_a_partial_id_finds_the_trainee_in_any_case(login, hr, elderly_trainee, school_trainee):
    client = login(hr)
    assert names(client.get(LIST, {"q": "e10"})) == {"E1001"}
    assert names(client.get(LIST, {"q": "E"})) == {"E1001", "E2001"}
    assert names(client.get(LIST, {"q": "ast"})) == {"E1001"}


@pytest.mark.parametrize("field", ["programme", "dropout_reason", "status", "recruitment"])
def test_every_choice_filter_offers_alle_once(login, hr, elderly_trainee, field):
    html = login(hr).get(LIST).content.decode()
    select = re.search(rf'<select name="{field}".*?</select>', html, flags=re.DOTALL).group(0)
    assert select.count(">Alle</option>") == 1
    assert select.count('value=""') == 1
