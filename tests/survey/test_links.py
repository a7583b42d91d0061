"""A personal link answers the survey once, without login; a reused, expired or forged link
is refused with a Danish page and stores nothing; the answer cannot be traced back."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from apps.survey.models import SurveyAnswer, SurveyLink
from apps.survey.services import links_issue, token_hash
from tests.survey.conftest import YES_SOME

pytestmark = pytest.mark.django_db

VALID = {"welcomed": YES_SOME, "had_supervisor": "ja", "guidance_satisfaction": "4"}


def url(token):
    return reverse("survey:respond", args=[token])


def test_a_link_answers_once_without_login_and_the_answer_names_no_one(client, placement):
    [(_p, token)] = links_issue(placements=[placement])
    page = client.get(url(token))
    assert page.status_code == 200
    assert "Følte du dig godt modtaget på dit praktiksted?" in page.content.decode()

    response = client.post(url(token), {**VALID, "comment": "  Fin modtagelse  "})
    assert response.status_code == 302 and response["Location"] == reverse("survey:thanks")
    answer = SurveyAnswer.objects.get()
    assert (answer.workplace, answer.department, answer.programme_id) == (
        placement.workplace,
        placement.workplace.department,
        placement.trainee.programme_id,
    )
    assert (answer.period_year, answer.period_month) == (2025, 6)
    assert (answer.welcomed, answer.had_supervisor, answer.guidance_satisfaction) == (
        YES_SOME,
        True,
        4,
    )
    assert answer.comment == "Fin modtagelse"
    assert answer.answered_on == timezone.localdate()
    link = SurveyLink.objects.get()
    assert link.used is True

    again = client.get(url(token))
    assert again.status_code == 410
    assert "Du har allerede svaret" in again.content.decode()
    twice = client.post(url(token), VALID)
    assert twice.status_code == 410
    assert SurveyAnswer.objects.count() == 1


def test_the_answer_row_holds_no_person_placement_link_or_time_of_day():
    fields = {f.name: f for f in SurveyAnswer._meta.get_fields()}
    assert not {"trainee", "placement", "link", "survey_link", "created_at"} & set(fields)
    assert not any(f.get_internal_type() == "DateTimeField" for f in fields.values())
    link_fields = {f.name: f for f in SurveyLink._meta.get_fields()}
    assert "token" not in link_fields and "used_at" not in link_fields


def test_the_token_is_stored_only_as_its_hash(placement):
    [(_p, token)] = links_issue(placements=[placement])
    link = SurveyLink.objects.get()
    assert link.token_hash == token_hash(token) and token not in link.token_hash
    assert len(token) >= 32


def test_an_expired_link_is_refused_and_stores_nothing(client, placement):
    issued = timezone.now() - datetime.timedelta(days=60, minutes=1)
    [(_p, token)] = links_issue(placements=[placement], now=issued)
    page = client.get(url(token))
    assert page.status_code == 410
    assert "Linket er udløbet" in page.content.decode()
    response = client.post(url(token), VALID)
    assert response.status_code == 410
    assert SurveyAnswer.objects.count() == 0
    assert SurveyLink.objects.get().used is False


def test_a_link_still_works_on_its_last_day(client, placement):
    issued = timezone.now() - datetime.timedelta(days=59, hours=23)
    [(_p, token)] = links_issue(placements=[placement], now=issued)
    assert client.post(url(token), VALID).status_code == 302


@pytest.mark.parametrize("token", ["forfalsket-link-1234567890abcdefghij", "x" * 500])
def test_a_forged_link_is_refused_and_stores_nothing(client, placement, token):
    links_issue(placements=[placement])
    page = client.get(url(token))
    assert page.status_code == 404
    assert "Linket virker ikke" in page.content.decode()
    assert client.post(url(token), VALID).status_code == 404
    assert SurveyAnswer.objects.count() == 0
    assert SurveyLink.objects.get().used is False


def test_issuing_again_replaces_an_unused_link_and_keeps_an_answered_one(client, placement):
    [(_p, first)] = links_issue(placements=[placement])
    [(_p, second)] = links_issue(placements=[placement])
    assert client.get(url(first)).status_code == 404
    assert client.post(url(second), VALID).status_code == 302
    assert links_issue(placements=[placement]) == []
    assert client.get(url(second)).status_code == 410


def test_missing_answers_get_danish_messages_beside_their_fields(client, placement):
    [(_p, token)] = links_issue(placements=[placement])
    response = client.post(url(token), {"guidance_satisfaction": "9", "comment": "x" * 2001})
    assert response.status_code == 400
    html = response.content.decode()
    assert 'role="alert"' in html
    assert "Vælg et svar: følte du dig godt modtaget?" in html
    assert "Vælg Ja eller Nej." in html
    assert "Vælg et tal fra 1 til 5." in html
    assert "Skriv højst 2000 tegn (du har skrevet 2001)." in html
    assert 'aria-describedby="id_welcomed_error"' in html
    assert 'id="id_welcomed_error"' in html
    assert SurveyAnswer.objects.count() == 0
    assert SurveyLink.objects.get().used is False


def test_the_survey_page_has_no_script_of_its_own_and_keeps_the_csp(client, placement):
    [(_p, token)] = links_issue(placements=[placement])
    response = client.get(url(token))
    assert "Content-Security-Policy" in response.headers
    assert "unsafe-inline" not in response.headers["Content-Security-Policy"]
    assert '<form method="post"' in response.content.decode()


def test_the_insight_export_tells_the_trainee_a_link_was_issued_and_used(
    client, placement, coordinator
):
    from apps.accounts.scope import scope_for_user
    from apps.privacy.selectors import trainee_access_data

    [(_p, token)] = links_issue(placements=[placement])
    client.post(url(token), VALID)
    data = trainee_access_data(trainee=placement.trainee, scope=scope_for_user(coordinator))
    [row] = data["praktikperioder"]
    assert row["praktikundersøgelse"].startswith("link udstedt ")
    assert row["praktikundersøgelse"].endswith(", besvaret")
    assert "svar" not in data  # the answer itself is anonymous


def test_an_empty_post_says_what_is_missing_and_stores_nothing(client, placement):
    [(_p, token)] = links_issue(placements=[placement])
    response = client.post(url(token))
    assert response.status_code == 400
    assert "Vælg Ja eller Nej." in response.content.decode()
    assert SurveyAnswer.objects.count() == 0
