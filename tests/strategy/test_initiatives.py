"""Initiatives: the filtered list with budget totals, the detail page and its timeline."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from apps.strategy import services
from apps.strategy.choices import InitiativeStatus
from apps.strategy.models import Initiative
from tests.factories import InitiativeFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def initiatives(strategy, focus_area, elderly, school):
    today = timezone.localdate()
    return [
        InitiativeFactory(
            strategy=strategy,
            focus_area=focus_area,
            department=elderly,
            title="Vejlederuddannelse",
            status=InitiativeStatus.PLANNED,
            origin="Norddjurs anbefalinger",
            budget_dkk=250000,
            follow_up_on=today - datetime.timedelta(days=5),
        ),
        InitiativeFactory(
            strategy=strategy,
            department=school,
            title="Mentorordning",
            status=InitiativeStatus.IN_PROGRESS,
            origin="KKR",
            budget_dkk=1000000,
            follow_up_on=today + datetime.timedelta(days=90),
        ),
        InitiativeFactory(
            strategy=strategy, title="Sprogstøtte", status=InitiativeStatus.PLANNED, origin="KKR"
        ),
    ]


def _titles(html: str) -> set[str]:
    return {t for t in ["Vejlederuddannelse", "Mentorordning", "Sprogstøtte"] if t in html}


def test_list_shows_all_with_the_total_budget(login, coordinator, initiatives):
    html = login(coordinator).get(reverse("strategy:initiative_list")).text
    assert _titles(html) == {"Vejlederuddannelse", "Mentorordning", "Sprogstøtte"}
    assert "3 indsatser" in html
    assert "1.250.000\xa0kr." in html and "(2 med budget)" in html


@pytest.mark.parametrize(
    ("params", "expected", "total"),
    [
        ({"status": "planned"}, {"Vejlederuddannelse", "Sprogstøtte"}, "250.000\xa0kr."),
        ({"origin": "KKR"}, {"Mentorordning", "Sprogstøtte"}, "1.000.000\xa0kr."),
        ({"due": "overdue"}, {"Vejlederuddannelse"}, "250.000\xa0kr."),
        ({"due": "soon"}, {"Vejlederuddannelse"}, "250.000\xa0kr."),
    ],
)
def test_list_filters_and_totals_follow_the_filters(
    login, coordinator, initiatives, params, expected, total
):
    html = login(coordinator).get(reverse("strategy:initiative_list"), params).text
    assert _titles(html) == expected
    assert f"Samlet budget: <strong>{total}</strong>" in html


def test_list_filters_by_department_and_focus_area(login, leader, initiatives, elderly, focus_area):
    client = login(leader)
    html = client.get(reverse("strategy:initiative_list"), {"department": elderly.pk}).text
    assert _titles(html) == {"Vejlederuddannelse"}
    html = client.get(reverse("strategy:initiative_list"), {"focus_area": focus_area.pk}).text
    assert _titles(html) == {"Vejlederuddannelse"}


def test_htmx_filtering_returns_only_the_results(login, coordinator, initiatives, htmx):
    response = login(coordinator).get(
        reverse("strategy:initiative_list"),
        {"status": "in_progress"},
        HTTP_HX_TARGET="initiative-results",
        **htmx,
    )
    assert response.text.lstrip().startswith('<div id="initiative-results"')
    assert _titles(response.text) == {"Mentorordning"}


def test_detail_shows_the_recommendation_fields_and_the_status_timeline(
    login, coordinator, strategy, leader
):
    initiative = InitiativeFactory(
        strategy=strategy,
        title="Praktikvejledere",
        purpose="At styrke vejledningen",
        aim="Alle vejledere uddannet",
        actions="Kursus for alle",
        follow_up="Årlig opgørelse",
        baseline="40 % uddannet i 2023",
        budget_dkk=300000,
        next_step="Udbyd kursus",
    )
    services.status_update_create(
        actor=leader, initiative=initiative, status="in_progress", note="Første hold startet"
    )
    services.status_update_create(
        actor=coordinator, initiative=initiative, status="implemented", note="Alle hold afsluttet"
    )
    html = login(coordinator).get(reverse("strategy:initiative_detail", args=[initiative.pk])).text
    for text in [
        "At styrke vejledningen",
        "Alle vejledere uddannet",
        "Kursus for alle",
        "Årlig opgørelse",
        "40 % uddannet i 2023",
        "300.000\xa0kr.",
        "Udbyd kursus",
    ]:
        assert text in html
    assert html.index("Alle hold afsluttet") < html.index("Første hold startet")
    assert '<span class="status-badge status-good">Implementeret</span>' in html
    assert '<span class="status-badge status-info">På vej</span>' in html
    assert Initiative.objects.get(pk=initiative.pk).implemented_year == timezone.localdate().year


def test_initiative_edit_rejects_negative_budget_with_a_danish_message(
    login, coordinator, strategy
):
    initiative = InitiativeFactory(strategy=strategy, title="Kursus", budget_dkk=1000)
    response = login(coordinator).post(
        reverse("strategy:initiative_update", args=[initiative.pk]),
        {"title": "Kursus", "status": "idea", "budget_dkk": "-5", "version": 1},
    )
    assert response.status_code == 200
    assert "Budgettet kan ikke være negativt." in response.text
    assert Initiative.objects.get(pk=initiative.pk).budget_dkk == 1000


def test_initiative_edit_conflict_names_the_other_editor(login, coordinator, admin_user, strategy):
    initiative = InitiativeFactory(strategy=strategy, title="Kursus")
    services.initiative_update(
        initiative=initiative, actor=admin_user, data={"title": "Kursus 2"}, expected_version=1
    )
    response = login(coordinator).post(
        reverse("strategy:initiative_update", args=[initiative.pk]),
        {"title": "Mit kursus", "status": "idea", "version": 1},
    )
    assert "Konflikt" in response.text and admin_user.get_full_name() in response.text
    assert "Titel: Kursus → Kursus 2" in response.text
    assert Initiative.objects.get(pk=initiative.pk).title == "Kursus 2"


def test_leaders_and_hr_may_not_edit_initiatives(login, leader, hr, strategy):
    initiative = InitiativeFactory(strategy=strategy, title="Kursus")
    for user in [leader, hr]:
        response = login(user).post(
            reverse("strategy:initiative_update", args=[initiative.pk]),
            {"title": "x", "status": "idea", "version": 1},
        )
        assert response.status_code == 403
    assert Initiative.objects.get(pk=initiative.pk).title == "Kursus"


def test_the_printed_list_says_which_filters_it_was_made_with(
    login, coordinator, initiatives, elderly, htmx
):
    client = login(coordinator)
    html = client.get(reverse("strategy:initiative_list")).text
    assert '<p class="print-only filters-in-force">Filtre: ingen (alle)</p>' in html

    response = client.get(
        reverse("strategy:initiative_list"),
        {"status": "planned", "department": elderly.pk},
        HTTP_HX_TARGET="initiative-results",
        **htmx,
    )
    # The htmx swap carries it too, so a list filtered on screen prints its filters.
    assert "Status: Planlagt" in response.text
    assert "Fagområde: Ældre og Sundhed" in response.text
