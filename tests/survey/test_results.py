"""The results page: groups of at least 5 answers only, for every role; free text for
coordinators only; a leader sees their own departments."""

import pytest
from django.urls import reverse

from tests.factories import WorkplaceFactory
from tests.survey.conftest import NO_AT_ALL, NO_REALLY, YES_HIGH, YES_SOME, answers

pytestmark = pytest.mark.django_db
URL = reverse("survey:results")


def test_fewer_than_five_answers_show_nothing_to_anyone(login, home, coordinator, hr, leader):
    answers(home, [YES_HIGH] * 4, comment="Hemmeligt")
    for user in (coordinator, hr, leader):
        html = login(user).get(URL + "?year=2025").content.decode()
        assert "Plejecenter Bakkebo" not in html, user
        assert "Hemmeligt" not in html
        assert "Ingen grupper har mindst 5 svar" in html


def test_a_group_of_five_shows_the_share_per_answer(login, home, coordinator):
    answers(home, [YES_HIGH, YES_HIGH, YES_SOME, NO_REALLY, NO_AT_ALL])
    response = login(coordinator).get(URL + "?year=2025&by=workplace")
    html = response.content.decode()
    assert response.status_code == 200
    groups = response.context["result"].groups
    assert [g.name for g in groups] == ["Plejecenter Bakkebo"]
    assert [round(s) for _label, s in groups[0].welcomed] == [40, 20, 20, 20]
    assert round(groups[0].welcomed_share) == 60
    assert "40\u00a0%" in html and "60\u00a0%" in html
    assert groups[0].satisfaction_mean == 3  # 1, 2, 3, 4, 5


def test_one_hidden_workplace_takes_the_next_smallest_with_it(login, home, coordinator, elderly):
    small = WorkplaceFactory(department=elderly, name="Hjemmeplejen Nord")
    middle = WorkplaceFactory(department=elderly, name="Plejecenter Solgården")
    answers(small, [YES_HIGH] * 3)
    answers(middle, [YES_HIGH] * 6)
    answers(home, [YES_HIGH] * 9)
    result = login(coordinator).get(URL + "?year=2025").context["result"]
    assert [g.name for g in result.groups] == ["Plejecenter Bakkebo"]
    assert result.hidden == 2
    by_department = login(coordinator).get(URL + "?year=2025&by=department").context["result"]
    assert [(g.name, g.answers) for g in by_department.groups] == [("Ældre og Sundhed", 18)]


def test_free_text_is_for_coordinators_only(login, home, coordinator, hr, leader):
    answers(home, [YES_HIGH] * 5, comment="Rar vejleder")
    assert "Rar vejleder 3" in login(coordinator).get(URL).content.decode()
    for user in (hr, leader):
        html = login(user).get(URL).content.decode()
        assert "Plejecenter Bakkebo" in html and "Rar vejleder" not in html


def test_a_leader_sees_only_their_own_departments(login, home, school, leader, other_leader):
    answers(WorkplaceFactory(department=school, name="Skolen ved Søen"), [YES_SOME] * 5)
    answers(home, [YES_SOME] * 5)
    mine = login(leader).get(URL).content.decode()
    assert "Plejecenter Bakkebo" in mine and "Skolen ved Søen" not in mine
    theirs = login(other_leader).get(URL).content.decode()
    assert "Skolen ved Søen" in theirs and "Plejecenter Bakkebo" not in theirs


def test_an_unknown_year_or_grouping_says_what_is_wrong(login, home, coordinator):
    answers(home, [YES_SOME] * 5)
    html = login(coordinator).get(URL + "?year=1999&by=kommune").content.decode()
    assert "Der er ingen svar fra 1999. Vælg et andet år." in html
    assert "Vælg arbejdssted, fagområde eller uddannelse." in html


def test_the_results_page_runs_a_fixed_number_of_queries(
    login, home, elderly, coordinator, django_assert_num_queries
):
    client = login(coordinator)
    answers(home, [YES_SOME] * 5, comment="Tekst")
    client.get(URL)
    with django_assert_num_queries(11) as few:
        client.get(URL)
    for n in range(6):
        answers(WorkplaceFactory(department=elderly), [YES_HIGH] * (5 + n), comment="Mere")
    with django_assert_num_queries(len(few.captured_queries)):
        assert len(client.get(URL).context["result"].groups) == 7
