"""Strategy pages: who may read and write, the grid, in-place editing, history, conflicts."""

import datetime
import re

import pytest
from django.urls import reverse

from apps.core.models import AuditEntry
from apps.strategy import services
from apps.strategy.choices import GoalStatus, StrategyStatus
from apps.strategy.models import Goal, StatusUpdate, Strategy
from tests.factories import InitiativeFactory

pytestmark = pytest.mark.django_db


def _edit_data(goal, prefix="", **values):
    data = {
        "text": goal.text,
        "owner": "",
        "follow_up_on": "",
        "status": goal.status,
        "version": goal.version,
    } | values
    return {f"{prefix}-{k}" if prefix else k: v for k, v in data.items()}


# ---------------------------------------------------------------------------
# Permission matrix
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name",
    ["strategy:followup", "strategy:strategy_list", "strategy:initiative_list"],
)
def test_anonymous_users_are_sent_to_login(client, name):
    response = client.get(reverse(name))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_anonymous_post_to_a_goal_is_sent_to_login(client, goal):
    response = client.post(reverse("strategy:goal_update", args=[goal.pk]), _edit_data(goal))
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


@pytest.mark.parametrize("persona", ["leader", "kkr", "hr"])
@pytest.mark.parametrize(
    "name",
    ["strategy:goal_update", "strategy:goal_delete", "strategy:goal_move", "strategy:goal_remind"],
)
def test_roles_that_may_not_edit_get_403_on_goal_writes(request, login, goal, persona, name):
    client = login(request.getfixturevalue(persona))
    response = client.post(reverse(name, args=[goal.pk]), _edit_data(goal, direction="up"))
    assert response.status_code == 403
    goal.refresh_from_db()
    assert (goal.version, goal.text) == (1, "Flere SOSU-elever")


@pytest.mark.parametrize("persona", ["leader", "kkr", "hr"])
def test_roles_that_may_not_edit_get_403_on_strategy_writes(request, login, strategy, persona):
    client = login(request.getfixturevalue(persona))
    for name in ["strategy:strategy_adopt", "strategy:strategy_archive", "strategy:strategy_copy"]:
        response = client.post(reverse(name, args=[strategy.pk]), {"version": 1, "confirmed": "1"})
        assert response.status_code == 403
    assert client.post(reverse("strategy:strategy_create"), {"title": "x"}).status_code == 403
    strategy.refresh_from_db()
    assert strategy.status == StrategyStatus.DRAFT
    assert Strategy.objects.count() == 1


def test_kkr_analysts_may_not_see_strategy_pages(login, kkr, strategy, goal):
    client = login(kkr)
    for url in [
        reverse("strategy:strategy_list"),
        reverse("strategy:strategy_detail", args=[strategy.pk]),
        reverse("strategy:goal_detail", args=[goal.pk]),
        reverse("strategy:initiative_list"),
    ]:
        assert client.get(url).status_code == 403, url


def test_another_municipalitys_strategy_and_goal_are_not_found(login, outsider, strategy, goal):
    client = login(outsider)
    assert client.get(reverse("strategy:strategy_detail", args=[strategy.pk])).status_code == 404
    assert client.get(reverse("strategy:goal_detail", args=[goal.pk])).status_code == 404
    response = client.post(reverse("strategy:goal_update", args=[goal.pk]), _edit_data(goal))
    assert response.status_code == 404
    assert Goal.objects.get(pk=goal.pk).version == 1


def test_hr_may_read_the_grid_without_edit_buttons(login, hr, strategy, goal):
    response = login(hr).get(reverse("strategy:strategy_detail", args=[strategy.pk]))
    assert response.status_code == 200
    assert "Flere SOSU-elever" in response.text
    assert "Rediger målsætning" not in response.text


# ---------------------------------------------------------------------------
# The grid
# ---------------------------------------------------------------------------


def test_grid_shows_common_goals_and_department_columns(
    login, coordinator, strategy, goal, school_goal, common_goal
):
    response = login(coordinator).get(reverse("strategy:strategy_detail", args=[strategy.pk]))
    html = response.text
    assert response.status_code == 200
    assert "Fælles mål" in html
    assert re.search(r'<th scope="col"[^>]*>Ældre og Sundhed', html)
    assert re.search(r'<th scope="col"[^>]*>Skole', html)
    assert f'id="celle-{goal.focus_area_id}-faelles"' in html
    # Each goal sits in its own department's cell.
    elderly_cell = html.split(f'id="celle-{goal.focus_area_id}-{goal.department_id}"')[1]
    elderly_cell = elderly_cell.split('id="celle-')[0]
    assert "Flere SOSU-elever" in elderly_cell
    assert "Flere lærerstuderende" not in elderly_cell and "Færre frafald" not in elderly_cell
    assert 'aria-label="Rediger målsætning: Flere SOSU-elever"' in html
    assert '<span class="status-badge status-neutral">Ikke startet</span>' in html


def test_the_grid_shows_one_department_at_a_time_on_request(
    login, coordinator, strategy, goal, school_goal, common_goal
):
    url = reverse("strategy:strategy_detail", args=[strategy.pk])
    html = login(coordinator).get(url, {"fagomraade": goal.department_id}).text
    headers = re.findall(r'<th scope="col"[^>]*>([^<]+)', html)
    assert [h.strip() for h in headers] == ["Indsatsområde", "Ældre og Sundhed"]
    assert "Flere SOSU-elever" in html and "Færre frafald" in html
    assert "Flere lærerstuderende" not in html
    assert "Viser kun fagområdet Ældre og Sundhed." in html
    # An unknown or foreign department shows every column, never an error.
    html = login(coordinator).get(url, {"fagomraade": "999999"}).text
    assert "Flere lærerstuderende" in html and "Viser kun fagområdet" not in html


def test_the_grid_has_shortcuts_past_it_and_to_each_focus_area(
    login, coordinator, strategy, goal, school_goal
):
    html = login(coordinator).get(reverse("strategy:strategy_detail", args=[strategy.pk])).text
    assert 'href="#efter-maalsaetninger"' in html and 'id="efter-maalsaetninger"' in html
    assert f'id="indsatsomraade-{goal.focus_area_id}-navn"' in html
    assert f'href="#fagomraade-{goal.department_id}"' in html
    assert f'id="fagomraade-{goal.department_id}"' in html


def test_leaders_see_the_grid_read_only_with_their_department_marked(
    login, leader, strategy, goal, school_goal
):
    response = login(leader).get(reverse("strategy:strategy_detail", args=[strategy.pk]))
    html = response.text
    assert response.status_code == 200
    assert re.search(
        r'<th scope="col"[^>]* class="mine">Ældre og Sundhed <span class="mine-label">'
        r"Dit fagområde",
        html,
    )
    assert "Rediger målsætning" not in html and "Tilføj målsætning" not in html
    assert 'aria-label="Skriv status: Flere SOSU-elever"' in html
    assert "Skriv status: Flere lærerstuderende" not in html


# ---------------------------------------------------------------------------
# Journey 1: edit a department's goal in place, and see its history
# ---------------------------------------------------------------------------


def test_coordinator_edits_a_goal_in_place_and_sees_its_history(
    login, coordinator, leader, goal, htmx
):
    client = login(coordinator)
    url = reverse("strategy:goal_update", args=[goal.pk])
    form = client.get(url, **htmx)
    assert form.status_code == 200
    assert f'for="id_maal-{goal.pk}-owner" class="form-label">' in form.text
    assert "Opfølgningsdato" in form.text and ">Gem</button>" in form.text

    response = client.post(
        url,
        _edit_data(
            goal,
            prefix=f"maal-{goal.pk}",
            owner=leader.pk,
            follow_up_on="2025-06-30",
            status=GoalStatus.ON_TRACK,
        ),
        **htmx,
    )
    assert response.status_code == 200
    assert response.text.lstrip().startswith(f'<li id="maal-{goal.pk}"')
    assert '<span class="status-badge status-good">På sporet</span>' in response.text
    assert str(leader) in response.text and "30.06.2025" in response.text

    detail = client.get(reverse("strategy:goal_detail", args=[goal.pk])).text
    assert "Historik" in detail
    assert 'Status: <span class="history-old">Ikke startet</span> → ' in detail
    assert '<span class="history-new">På sporet</span>' in detail
    assert '<span class="history-new">30.06.2025</span>' in detail
    assert coordinator.get_full_name() in detail


def test_inline_form_errors_are_shown_next_to_the_field_and_nothing_is_saved(
    login, coordinator, goal, htmx
):
    response = login(coordinator).post(
        reverse("strategy:goal_update", args=[goal.pk]),
        _edit_data(goal, prefix=f"maal-{goal.pk}", text="", follow_up_on="31-02-2025"),
        **htmx,
    )
    html = response.text
    assert response.status_code == 200
    assert 'role="alert"' in html and "Der er ikke gemt noget" in html
    assert f'aria-describedby="id_maal-{goal.pk}-text_error"' in html
    assert f'id="id_maal-{goal.pk}-follow_up_on_error"' in html
    assert "Indtast en gyldig dato." in html
    goal.refresh_from_db()
    assert (goal.text, goal.version) == ("Flere SOSU-elever", 1)


def test_second_editor_gets_a_conflict_showing_the_other_persons_change(
    login, coordinator, admin_user, goal, htmx
):
    services.goal_update(
        goal=goal, actor=admin_user, data={"status": GoalStatus.BEHIND}, expected_version=1
    )
    response = login(coordinator).post(
        reverse("strategy:goal_update", args=[goal.pk]),
        _edit_data(goal, prefix=f"maal-{goal.pk}", text="Min version", version=1),
        **htmx,
    )
    html = response.text
    assert "Konflikt: en anden har gemt en ændring" in html
    assert admin_user.get_full_name() in html
    assert "Status: Ikke startet → Bagud" in html
    assert "Min version" in html  # the editor's input is kept
    assert f'name="maal-{goal.pk}-version" value="2"' in html
    goal.refresh_from_db()
    assert (goal.text, goal.status) == ("Flere SOSU-elever", GoalStatus.BEHIND)


def test_goals_are_added_moved_and_removed_in_place(login, coordinator, focus_area, elderly, htmx):
    client = login(coordinator)
    url = reverse("strategy:goal_create", args=[focus_area.pk])
    form = client.get(url, {"department": elderly.pk}, **htmx)
    assert 'aria-label="Ny målsætning: Rekruttering, Ældre og Sundhed"' in form.text
    prefix = f"ny-{focus_area.pk}-{elderly.pk}"
    for text in ["Første", "Anden"]:
        response = client.post(
            url,
            {"department": elderly.pk, f"{prefix}-text": text, f"{prefix}-status": "not_started"},
            **htmx,
        )
        assert response["HX-Retarget"] == f"#celle-{focus_area.pk}-{elderly.pk}"
    second = Goal.objects.get(text="Anden")
    response = client.post(
        reverse("strategy:goal_move", args=[second.pk]), {"direction": "up"}, **htmx
    )
    assert response.text.index("Anden") < response.text.index("Første")
    # At the top now, so keyboard focus goes to its other arrow (the pressed one is disabled).
    assert re.search(r'data-focus\s+aria-label="Flyt ned: Anden"', response.text)
    assert response.text.count("data-focus") == 1
    response = client.post(
        reverse("strategy:goal_delete", args=[second.pk]), {"version": 1}, **htmx
    )
    assert "Anden" not in response.text and "Målsætningen er fjernet." in response.text
    # Keyboard focus stays in the cell: the "Tilføj målsætning" button is marked for it.
    assert re.search(r"<button[^>]*data-focus>Tilføj målsætning</button>", response.text)
    assert list(Goal.objects.values_list("text", flat=True)) == ["Første"]


def test_a_stale_delete_is_refused(login, coordinator, admin_user, goal, htmx):
    services.goal_update(goal=goal, actor=admin_user, data={"text": "Ny"}, expected_version=1)
    response = login(coordinator).post(
        reverse("strategy:goal_delete", args=[goal.pk]), {"version": 1}, **htmx
    )
    assert "ændret af en anden" in response.text
    assert Goal.objects.filter(pk=goal.pk).exists()


# ---------------------------------------------------------------------------
# Status notes
# ---------------------------------------------------------------------------


def test_leaders_post_status_on_their_own_departments_goals_only(login, leader, goal, school_goal):
    client = login(leader)
    response = client.post(
        reverse("strategy:goal_status", args=[goal.pk]), {"status": "behind", "note": "Få elever"}
    )
    assert response.status_code == 302
    goal.refresh_from_db()
    assert goal.status == GoalStatus.BEHIND
    detail = client.get(reverse("strategy:goal_detail", args=[goal.pk])).text
    assert "Få elever" in detail and "Dit fagområde" in detail

    response = client.post(
        reverse("strategy:goal_status", args=[school_goal.pk]), {"status": "behind", "note": "x"}
    )
    assert response.status_code == 403
    assert not StatusUpdate.objects.filter(goal=school_goal).exists()


def test_a_status_note_without_text_gets_a_danish_error(login, leader, goal):
    response = login(leader).post(
        reverse("strategy:goal_status", args=[goal.pk]), {"status": "behind", "note": ""}
    )
    assert response.status_code == 200
    assert "Dette felt er påkrævet." in response.text
    assert not StatusUpdate.objects.exists()


# ---------------------------------------------------------------------------
# Versions
# ---------------------------------------------------------------------------


def test_adopted_strategy_keeps_its_wording_but_takes_follow_up_in_the_grid(
    login, coordinator, leader, strategy, goal, htmx
):
    client = login(coordinator)
    client.post(
        reverse("strategy:strategy_adopt", args=[strategy.pk]), {"version": 1, "confirmed": "1"}
    )
    strategy.refresh_from_db()
    assert strategy.status == StrategyStatus.ADOPTED
    grid = client.get(reverse("strategy:strategy_detail", args=[strategy.pk])).text
    assert "Rediger målsætning: Flere SOSU-elever" in grid
    assert "Fjern målsætning" not in grid and "Flyt op" not in grid
    assert "Tilføj målsætning" not in grid
    assert "Genåbn som udkast" in grid

    # Changing the wording is refused at the field; nothing is written.
    response = client.post(
        reverse("strategy:goal_update", args=[goal.pk]),
        _edit_data(goal, prefix=f"maal-{goal.pk}", text="Ændret", owner=leader.pk),
        **htmx,
    )
    assert "Vedtaget tekst – genåbn strategien for at ændre ordlyden" in response.text
    assert 'aria-invalid="true"' in response.text
    goal.refresh_from_db()
    assert (goal.text, goal.owner, goal.version) == ("Flere SOSU-elever", None, 1)

    # The follow-up fields alone are saved, and the strategy stays adopted.
    response = client.post(
        reverse("strategy:goal_update", args=[goal.pk]),
        {
            f"maal-{goal.pk}-owner": leader.pk,
            f"maal-{goal.pk}-follow_up_on": "2027-06-30",
            f"maal-{goal.pk}-status": "on_track",
            f"maal-{goal.pk}-version": 1,
        },
        **htmx,
    )
    assert "Målsætningen er gemt." in response.text
    goal.refresh_from_db()
    assert (goal.owner, str(goal.follow_up_on), goal.status) == (
        leader,
        "2027-06-30",
        "on_track",
    )
    assert goal.text == "Flere SOSU-elever"
    strategy.refresh_from_db()
    assert strategy.status == StrategyStatus.ADOPTED

    client.post(
        reverse("strategy:strategy_reopen", args=[strategy.pk]), {"version": 2, "confirmed": "1"}
    )
    grid = client.get(reverse("strategy:strategy_detail", args=[strategy.pk])).text
    assert "Fjern målsætning: Flere SOSU-elever" in grid


@pytest.mark.parametrize(
    ("action", "status", "says"),
    [
        ("adopt", StrategyStatus.DRAFT, "Strategien blev første gang vedtaget 15.12.2026"),
        ("reopen", StrategyStatus.ADOPTED, "Strategien bliver et udkast igen"),
        (
            "archive",
            StrategyStatus.ADOPTED,
            "Strategien bliver arkiveret og kan derefter kun læses.",
        ),
    ],
)
def test_lifecycle_steps_are_confirmed_on_a_page_of_their_own_first(
    login, coordinator, strategy, action, status, says
):
    Strategy.objects.filter(pk=strategy.pk).update(
        status=status, adopted_on=datetime.date(2026, 12, 15)
    )
    client = login(coordinator)
    url = reverse(f"strategy:strategy_{action}", args=[strategy.pk])
    page = client.get(url).text
    assert says in page and 'name="confirmed" value="1"' in page
    if action == "reopen":
        assert "Vedtagelsesdatoen 15.12.2026 bevares" in page
    # Opening the page, or a POST that did not come from it, changes nothing.
    assert client.post(url, {"version": 1}).status_code == 200
    strategy.refresh_from_db()
    assert strategy.status == status
    response = client.post(url, {"version": 1, "confirmed": "1"})
    assert response["Location"] == reverse("strategy:strategy_detail", args=[strategy.pk])
    strategy.refresh_from_db()
    assert strategy.status != status


def test_the_strategy_page_links_to_the_confirmation_pages(login, coordinator, strategy):
    page = login(coordinator).get(reverse("strategy:strategy_detail", args=[strategy.pk])).text
    assert f'href="{reverse("strategy:strategy_adopt", args=[strategy.pk])}">Vedtag</a>' in page
    assert f'href="{reverse("strategy:strategy_archive", args=[strategy.pk])}">Arkivér</a>' in page


def test_copy_to_new_version_through_the_page(login, coordinator, strategy, goal):
    client = login(coordinator)
    client.post(
        reverse("strategy:strategy_adopt", args=[strategy.pk]), {"version": 1, "confirmed": "1"}
    )
    response = client.post(
        reverse("strategy:strategy_copy", args=[strategy.pk]), {"version_label": "Version 2026"}
    )
    new = Strategy.objects.get(version_label="Version 2026")
    assert response["Location"] == reverse("strategy:strategy_detail", args=[new.pk])
    page = client.get(response["Location"]).text
    assert "Flere SOSU-elever" in page and "Forrige version" in page
    assert Goal.objects.filter(focus_area__strategy=strategy).count() == 1


def test_copy_without_a_version_name_explains_what_is_missing(login, coordinator, strategy):
    client = login(coordinator)
    client.post(
        reverse("strategy:strategy_adopt", args=[strategy.pk]), {"version": 1, "confirmed": "1"}
    )
    response = client.post(
        reverse("strategy:strategy_copy", args=[strategy.pk]), {"version_label": ""}
    )
    assert response.status_code == 200
    assert "Navn på den nye version" in response.text and "Dette felt er påkrævet." in response.text
    assert Strategy.objects.count() == 1


def test_strategy_page_lists_changes_to_goals_including_removed_ones(
    login, coordinator, strategy, goal
):
    services.goal_delete(goal=goal, actor=coordinator, expected_version=1)
    page = login(coordinator).get(reverse("strategy:strategy_detail", args=[strategy.pk])).text
    assert "Fjernet" in page and "Flere SOSU-elever" in page
    assert AuditEntry.objects.filter(action="strategy.goal.deleted").count() == 1


def test_every_strategy_page_renders_for_a_coordinator(
    login, coordinator, strategy, focus_area, goal, common_goal
):
    initiative = InitiativeFactory(strategy=strategy, focus_area=focus_area, goals=[goal])
    client = login(coordinator)
    pages = {
        reverse("strategy:strategy_list"): "Uddannelsesstrategi 2024-2027",
        reverse("strategy:strategy_create"): "Ny strategi",
        reverse("strategy:strategy_detail", args=[strategy.pk]): "Tilføj indsatsområde",
        reverse("strategy:strategy_update", args=[strategy.pk]): "Periode fra (år)",
        reverse("strategy:focus_area_create", args=[strategy.pk]): "KKR-tema",
        reverse("strategy:focus_area_detail", args=[focus_area.pk]): "Rediger indsatsområdet",
        reverse("strategy:focus_area_update", args=[focus_area.pk]): "Beskrivelse",
        reverse("strategy:goal_detail", args=[goal.pk]): "Rediger målsætningen",
        reverse("strategy:initiative_create", args=[strategy.pk]): "Ressourcer og økonomi",
        reverse("strategy:initiative_detail", args=[initiative.pk]): "Statushistorik",
        reverse("strategy:initiative_update", args=[initiative.pk]): "Næste skridt",
        reverse("strategy:initiative_list"): "Ny indsats",
        reverse("strategy:followup"): "Opfølgning",
    }
    for url, text in pages.items():
        response = client.get(url)
        assert response.status_code == 200, url
        assert text in response.text, url
        assert response.text.count("<h1") == 1, url


def test_a_new_strategy_focus_area_and_initiative_are_created_through_the_pages(login, coordinator):
    client = login(coordinator)
    response = client.post(
        reverse("strategy:strategy_create"),
        {
            "title": "Ny strategi",
            "version_label": "Udkast 1",
            "period_start": 2026,
            "period_end": 2025,
        },
    )
    assert "Perioden kan ikke slutte, før den begynder." in response.text
    assert not Strategy.objects.exists()
    response = client.post(
        reverse("strategy:strategy_create"),
        {
            "title": "Ny strategi",
            "version_label": "Udkast 1",
            "period_start": 2026,
            "period_end": 2029,
        },
    )
    strategy = Strategy.objects.get()
    assert strategy.municipality == coordinator.municipality
    client.post(reverse("strategy:focus_area_create", args=[strategy.pk]), {"title": "Fase 1"})
    area = strategy.focus_areas.get()
    response = client.post(
        reverse("strategy:initiative_create", args=[strategy.pk]),
        {"title": "Onboarding", "status": "planned", "focus_area": area.pk, "budget_dkk": "5000"},
    )
    initiative = strategy.initiatives.get()
    assert response["Location"] == reverse("strategy:initiative_detail", args=[initiative.pk])
    assert (initiative.focus_area, initiative.budget_dkk) == (area, 5000)
    assert AuditEntry.objects.filter(context__strategy_id=strategy.pk).count() == 3


def test_the_goal_page_form_keeps_unsaved_input_out_of_the_saved_details(
    login, coordinator, kkr, goal
):
    response = login(coordinator).post(
        reverse("strategy:goal_update", args=[goal.pk]),
        _edit_data(goal, text="Ikke gemt tekst", owner=kkr.pk),
    )
    assert response.status_code == 200
    html = response.text
    assert '<p class="goal-detail-text">Flere SOSU-elever</p>' in html
    assert "Ikke gemt tekst</textarea>" in html
    assert "Marker en gyldig valgmulighed" in html
    assert Goal.objects.get(pk=goal.pk).text == "Flere SOSU-elever"


def test_the_goal_page_has_one_status_field_and_offers_only_possible_owners(
    login, coordinator, leader, hr, kkr, admin_user, goal
):
    html = login(coordinator).get(reverse("strategy:goal_detail", args=[goal.pk])).text
    assert len(re.findall(r'<select name="status"', html)) == 1
    owners = html.split('name="owner"')[1].split("</select>")[0]
    for person in (coordinator, leader, hr):
        assert f'value="{person.pk}"' in owners
    for person in (kkr, admin_user):
        assert f'value="{person.pk}"' not in owners
    # Saving the goal page's form leaves the status alone.
    data = _edit_data(goal, text="Ny tekst")
    del data["status"]
    login(coordinator).post(reverse("strategy:goal_update", args=[goal.pk]), data)
    goal.refresh_from_db()
    assert goal.text == "Ny tekst" and goal.status == GoalStatus.NOT_STARTED


def test_lifecycle_post_without_a_readable_version_is_refused_as_a_conflict(
    login, coordinator, strategy
):
    response = login(coordinator).post(
        reverse("strategy:strategy_adopt", args=[strategy.pk]),
        {"version": "abc", "confirmed": "1"},
        follow=True,
    )
    assert "Strategien er ændret af en anden" in response.text
    strategy.refresh_from_db()
    assert strategy.status == StrategyStatus.DRAFT


def test_reminder_never_redirects_off_site(login, coordinator, leader, goal):
    Goal.objects.filter(pk=goal.pk).update(owner=leader)
    response = login(coordinator).post(
        reverse("strategy:goal_remind", args=[goal.pk]), {"next": "https://evil.example/"}
    )
    assert response["Location"] == reverse("strategy:followup")


def test_goal_create_with_a_bad_department_is_not_found(login, coordinator, focus_area, htmx):
    url = reverse("strategy:goal_create", args=[focus_area.pk])
    assert login(coordinator).get(url, {"department": "x"}, **htmx).status_code == 404


@pytest.mark.parametrize("persona", ["kkr", "hr"])
def test_hr_and_kkr_may_not_post_status_notes(request, login, goal, strategy, persona):
    initiative = InitiativeFactory(strategy=strategy, department=goal.department)
    client = login(request.getfixturevalue(persona))
    data = {"status": "behind", "note": "x"}
    assert client.post(reverse("strategy:goal_status", args=[goal.pk]), data).status_code == 403
    url = reverse("strategy:initiative_status", args=[initiative.pk])
    assert client.post(url, {"status": "planned", "note": "x"}).status_code == 403
    assert not StatusUpdate.objects.exists()


def test_leaders_post_status_on_their_departments_initiatives(login, leader, strategy, elderly):
    initiative = InitiativeFactory(strategy=strategy, department=elderly, title="Vejledning")
    response = login(leader).post(
        reverse("strategy:initiative_status", args=[initiative.pk]),
        {"status": "in_progress", "note": "Første hold er i gang"},
    )
    assert response.status_code == 302
    update = StatusUpdate.objects.get(initiative=initiative)
    assert (update.author, update.status) == (leader, "in_progress")


def test_the_inline_form_on_an_adopted_strategy_offers_the_follow_up_fields_only(
    login, coordinator, strategy, goal, htmx
):
    services.strategy_adopt(strategy=strategy, actor=coordinator, expected_version=1)
    response = login(coordinator).get(reverse("strategy:goal_update", args=[goal.pk]), **htmx)
    page = response.text
    prefix = f"maal-{goal.pk}"
    # The wording is shown, read-only, with the note; the follow-up fields are editable.
    text_field = re.search(rf'<textarea name="{prefix}-text"[^>]*>', page).group(0)
    assert "disabled" in text_field
    assert "Vedtaget tekst – genåbn strategien for at ændre ordlyden" in page
    for name in ("owner", "follow_up_on", "status"):
        tag = re.search(rf'<(?:select|input)[^>]*name="{prefix}-{name}"[^>]*>', page).group(0)
        assert "disabled" not in tag, name
    editable = set(re.findall(rf'name="{prefix}-(\w+)"(?![^>]*disabled)', page))
    assert editable == {"owner", "follow_up_on", "status", "version"}


def test_an_archived_strategy_offers_no_inline_form(login, coordinator, strategy, goal, htmx):
    services.strategy_archive(strategy=strategy, actor=coordinator, expected_version=1)
    response = login(coordinator).get(reverse("strategy:goal_update", args=[goal.pk]), **htmx)
    assert "<textarea" not in response.text and "<select" not in response.text
    assert 'role="alert">Strategien er arkiveret og kan ikke ændres.' in response.text


def test_the_adopt_page_keeps_the_first_adoption_date_and_the_strategy_page_lists_adoptions(
    login, coordinator, strategy
):
    client = login(coordinator)
    url = reverse("strategy:strategy_adopt", args=[strategy.pk])
    client.post(url, {"version": 1, "confirmed": "1", "adopted_on": "2022-03-12"})
    client.post(
        reverse("strategy:strategy_reopen", args=[strategy.pk]), {"version": 2, "confirmed": "1"}
    )
    page = client.get(url).text
    assert 'name="adopted_on" value="2022-03-12"' in page
    client.post(url, {"version": 3, "confirmed": "1", "adopted_on": "2022-03-12"})
    strategy.refresh_from_db()
    assert (strategy.status, strategy.adopted_on) == (
        StrategyStatus.ADOPTED,
        datetime.date(2022, 3, 12),
    )
    assert strategy.adoptions.count() == 2
    page = client.get(reverse("strategy:strategy_detail", args=[strategy.pk])).text
    name = coordinator.get_full_name()
    assert f"Vedtaget 12.03.2022 af {name}; genvedtaget" in page
    assert "(vedtagelsesdato 12.03.2022)" in page
