"""The planning page: who may open it, scoping of drafts, the page's content and queries,
moving with and without htmx, and confirming."""

import pytest
from django.urls import reverse

from apps.placements.drafts import draft_propose
from apps.placements.models import DraftAssignment, DraftStatus, PlacementDraft
from apps.trainees.models import Placement
from tests.factories import TraineeFactory, WorkplaceFactory, programme
from tests.placements.conftest import END, START, capacity, supervisor

pytestmark = pytest.mark.django_db
PERIOD = {"fra": "01.02.2027", "til": "30.06.2027"}
# The page's queries: session and user, the draft, its rows, workplaces, supervisors, the
# period's conflicts and their names; the same for 6 rows as for 14.
QUERIES = 20


@pytest.fixture
def draft(scarce, municipality, hr):
    return draft_propose(municipality_id=municipality.pk, start=START, end=END, actor=hr)


def line(draft, hr_id):
    return DraftAssignment.objects.select_related("trainee").get(draft=draft, trainee__hr_id=hr_id)


@pytest.mark.parametrize("persona", ["leader", "kkr"])
def test_roles_without_planning_get_403(persona, request, login, scarce):
    client = login(request.getfixturevalue(persona))
    assert client.get(reverse("placements:plan")).status_code == 403
    assert client.post(reverse("placements:propose"), PERIOD).status_code == 403


@pytest.mark.parametrize("persona", ["hr", "coordinator"])
def test_hr_and_coordinators_open_the_page_from_the_menu(persona, request, login, scarce):
    client = login(request.getfixturevalue(persona))
    page = client.get(reverse("placements:plan"), PERIOD)
    assert page.status_code == 200
    html = page.content.decode()
    assert 'href="/praktikplanlaegning/"' in html and "Praktikplanlægning" in html
    assert "Foreslå plan" in html


def test_the_page_defaults_to_the_next_period_with_capacity(login, hr, scarce):
    page = login(hr).get(reverse("placements:plan"))
    assert page.context["page"].start == START and page.context["page"].end == END
    assert 'value="01.02.2027"' in page.content.decode()


def test_a_bad_date_is_explained_next_to_the_field(login, hr, scarce):
    page = login(hr).get(reverse("placements:plan"), {"fra": "1/2-27", "til": "30.06.2027"})
    assert "Skriv datoen som DD.MM.ÅÅÅÅ" in page.content.decode()
    assert page.context["page"] is None


def test_another_municipalitys_draft_is_404(login, outsider, draft):
    client = login(outsider)
    row = draft.rows.first()
    url = reverse("placements:move", args=[draft.pk, row.trainee_id])
    assert client.post(url, {"version": 1}).status_code == 404
    assert client.get(reverse("placements:confirm", args=[draft.pk])).status_code == 404
    assert client.post(reverse("placements:confirm", args=[draft.pk])).status_code == 404
    assert PlacementDraft.objects.get().status == DraftStatus.DRAFT


def test_proposing_from_the_page_shows_the_draft(login, hr, scarce):
    client = login(hr)
    response = client.post(reverse("placements:propose"), PERIOD, follow=True)
    html = response.content.decode()
    assert "Planen er foreslået: 2 af 6 elever er placeret." in html
    assert "Døgnplejen Nord" in html
    assert "Ingen arbejdsplads tager SSH i perioden" in html  # the unassigned reason
    assert "Vejlederen er ikke uddannet vejleder" in html  # the draft's own conflict
    assert "1 konflikt i perioden" in html


def test_the_page_costs_the_same_queries_for_more_rows(
    login, hr, scarce, elderly, django_assert_num_queries
):
    client = login(hr)
    client.post(reverse("placements:propose"), PERIOD)
    client.get(reverse("placements:plan"), PERIOD)  # warm the session and caches
    with django_assert_num_queries(QUERIES):
        client.get(reverse("placements:plan"), PERIOD)
    for i in range(8):
        TraineeFactory(department=elderly, programme=programme("SSA"), hr_id=f"E-MORE{i}")
    capacity(WorkplaceFactory(department=elderly), "SSA", 4)
    client.post(reverse("placements:propose"), PERIOD)
    assert PlacementDraft.objects.get().rows.count() == 14
    with django_assert_num_queries(QUERIES):
        client.get(reverse("placements:plan"), PERIOD)


def test_moving_without_htmx_redirects_with_a_message(login, hr, draft, scarce):
    ssh = line(draft, "E-SSH")
    url = reverse("placements:move", args=[draft.pk, ssh.trainee_id])
    response = login(hr).post(
        url, {"workplace": scarce["a"].pk, "supervisor": scarce["q"].pk, "version": 1}, follow=True
    )
    assert "Eleven er flyttet." in response.content.decode()
    ssh.refresh_from_db()
    assert (ssh.workplace, ssh.supervisor) == (scarce["a"], scarce["q"])


def test_moving_with_htmx_returns_the_row_and_the_conflicts(login, hr, draft, scarce):
    ssh = line(draft, "E-SSH")
    url = reverse("placements:move", args=[draft.pk, ssh.trainee_id])
    response = login(hr).post(
        url, {"workplace": scarce["a"].pk, "supervisor": "", "version": 1}, HTTP_HX_REQUEST="true"
    )
    html = response.content.decode()
    assert f'<tr id="elev-{ssh.trainee_id}" hx-swap-oob="true">' in html
    assert 'id="plan-status" hx-swap-oob="innerHTML"' in html
    assert "Arbejdspladsen tager ikke uddannelsen" in html  # SSH at an SSA-only workplace
    assert "<html" not in html


def test_a_refused_move_is_shown_in_the_row(login, hr, draft, scarce, elderly):
    other = WorkplaceFactory(department=elderly, name="Plejecenter Syd")
    ssh = line(draft, "E-SSH")
    url = reverse("placements:move", args=[draft.pk, ssh.trainee_id])
    response = login(hr).post(
        url,
        {"workplace": other.pk, "supervisor": scarce["q"].pk, "version": 1},
        HTTP_HX_REQUEST="true",
    )
    html = response.content.decode()
    assert 'role="alert"' in html and "arbejder ikke på Plejecenter Syd" in html


def test_confirming_asks_first_then_writes_the_placements(login, hr, draft, scarce, elderly):
    client = login(hr)
    url = reverse("placements:confirm", args=[draft.pk])
    ask = client.get(url)
    assert "Der oprettes 2 praktikperioder" in ask.content.decode()
    planned = Placement.objects.filter(start_date=START, trainee__hr_id__startswith="E-SSA")
    assert not planned.exists()
    done = client.post(url, follow=True)
    assert "Planen er bekræftet: 2 praktikperioder er oprettet." in done.content.decode()
    assert planned.count() == 2
    assert client.get(url).status_code == 404  # a confirmed draft is no longer open


def test_a_refused_confirm_shows_the_reason_and_writes_nothing(login, hr, draft, scarce):
    for row in DraftAssignment.objects.filter(draft=draft, trainee__hr_id__startswith="E-SSA"):
        row.workplace, row.supervisor = scarce["a"], None
        row.save()
    count = Placement.objects.count()
    done = login(hr).post(reverse("placements:confirm", args=[draft.pk]), follow=True)
    assert "nye konflikter" in done.content.decode()
    assert Placement.objects.count() == count


def test_supervisor_options_are_grouped_by_workplace(login, hr, draft, scarce):
    supervisor(scarce["b"], qualified=True)
    html = login(hr).get(reverse("placements:plan"), PERIOD).content.decode()
    assert '<optgroup label="Døgnplejen Nord">' in html
    assert '<optgroup label="Skolen ved Søen">' in html
