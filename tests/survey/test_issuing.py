"""Links for a period from the command line and as a printed sheet with QR codes."""

import datetime
import io
import json

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from apps.core.models import AuditEntry
from apps.survey.models import SurveyLink
from apps.trainees.choices import PlacementKind
from apps.trainees.models import Placement
from tests.factories import WorkplaceFactory
from tests.survey.conftest import finished_placement

pytestmark = pytest.mark.django_db

VALID = {"welcomed": "high", "had_supervisor": "ja", "guidance_satisfaction": "5"}


def run(*args) -> list[dict]:
    out = io.StringIO()
    call_command("survey_links", *args, stdout=out)
    return json.loads(out.getvalue())


def test_the_command_lists_absolute_single_use_links_for_a_period(
    settings, client, municipality, home
):
    settings.PORTAL_BASE_URL = "https://portal.example.dk"
    january = finished_placement(home, end=datetime.date(2025, 1, 31))
    march = finished_placement(home, end=datetime.date(2025, 3, 31))
    finished_placement(home, end=datetime.date(2099, 1, 31))  # not ended yet
    Placement.objects.create(  # a school period gets no survey
        municipality=municipality,
        trainee=january.trainee,
        period_number=1,
        kind=PlacementKind.SCHOOL,
        start_date=datetime.date(2025, 2, 1),
        end_date=datetime.date(2025, 2, 28),
    )
    rows = run("--municipality", "219", "--ended-from", "2025-01-01", "--json")
    assert [(r["placement"], r["trainee"]) for r in rows] == [
        (january.pk, january.trainee.hr_id),
        (march.pk, march.trainee.hr_id),
    ]
    prefix = "https://portal.example.dk/praktikundersoegelse/svar/"
    assert all(r["url"].startswith(prefix) for r in rows)
    assert run("--municipality", "219", "--ended-to", "2025-02-01", "--json")[0]["placement"] == (
        january.pk
    )
    path = rows[0]["url"].removeprefix("https://portal.example.dk")
    assert client.get(path).status_code == 404  # issued again since: the first one is dead
    latest = run("--municipality", "219", "--ended-to", "2025-02-01", "--json")[0]["url"]
    latest_path = latest.removeprefix("https://portal.example.dk")
    assert client.post(latest_path, VALID).status_code == 302
    assert run("--municipality", "219", "--ended-to", "2025-02-01", "--json") == []
    assert AuditEntry.objects.filter(action="survey.links.issued").exists()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--municipality", "999"], "Ukendt kommunenummer 999"),
        (["--municipality", "219", "--ended-from", "31.01.2025"], "Skriv den som ÅÅÅÅ-MM-DD"),
        (
            ["--municipality", "219", "--ended-from", "2025-02-01", "--ended-to", "2025-01-01"],
            "--ended-to ligger før --ended-from",
        ),
    ],
)
def test_the_command_refuses_bad_input_in_danish(municipality, home, args, message):
    finished_placement(home)
    with pytest.raises(CommandError, match=message):
        run(*args, "--json")
    assert SurveyLink.objects.count() == 0


def test_the_sheet_prints_a_qr_code_per_trainee_grouped_by_workplace(login, hr, home, elderly):
    other = WorkplaceFactory(department=elderly, name="Hjemmeplejen Syd")
    first = finished_placement(home)
    second = finished_placement(other)
    client = login(hr)
    url = reverse("survey:link_sheet")
    preview = client.get(url, {"ended_from": "2025-01-01", "ended_to": "2025-12-31"})
    assert "2 afsluttede praktikperioder uden svar" in preview.content.decode()
    assert SurveyLink.objects.count() == 0  # looking issues nothing
    response = client.post(url, {"ended_from": "2025-01-01", "ended_to": "2025-12-31"})
    html = response.content.decode()
    assert response.status_code == 200
    assert html.count('src="data:image/svg+xml;base64,') == 2
    assert first.trainee.full_name in html and second.trainee.full_name in html
    assert html.index("Hjemmeplejen Syd") < html.index("Plejecenter Bakkebo")
    assert SurveyLink.objects.count() == 2


def test_the_sheet_form_says_what_is_wrong_with_the_dates(login, hr, home):
    response = login(hr).get(
        reverse("survey:link_sheet"), {"ended_from": "2025-02-01", "ended_to": "2025-01-01"}
    )
    assert "Slutdatoen ligger før startdatoen." in response.content.decode()
    response = login(hr).get(reverse("survey:link_sheet"), {"ended_from": "i går"})
    assert "Skriv datoen som dd.mm.åååå" in response.content.decode()
