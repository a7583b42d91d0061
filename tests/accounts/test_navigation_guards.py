"""The main menu and the pages behind it read the same `Scope` capability: for every role,
an entry is in the menu exactly when its page's guard lets the role in, and every entry shown
opens (200). A few entries are deliberately narrower than their page (`shown_to`); they are
listed here so that another one can't appear unnoticed."""

import pytest
from django.urls import resolve, reverse

from apps.accounts.context_processors import NAVIGATION
from apps.accounts.scope import scope_for_user

pytestmark = pytest.mark.django_db

PERSONAS = ["coordinator", "leader", "other_leader", "hr", "kkr", "admin_user", "outsider"]
# HR reads initiatives from the strategies; coordinators reach department dashboards from
# the overview. Both pages stay open to them.
NARROWER_THAN_PAGE = {"strategy:initiative_list", "dashboards:department_default"}


def _guard(url_name: str) -> str | None:
    view = resolve(reverse(url_name)).func
    assert hasattr(view, "scope_allow"), f"{url_name} is not guarded by scope_required"
    return view.scope_allow


@pytest.mark.parametrize("entry", NAVIGATION, ids=lambda e: e.url_name)
def test_menu_entry_names_the_capability_its_page_checks(entry):
    assert _guard(entry.url_name) == entry.allow


def test_only_the_decided_entries_are_narrower_than_their_page():
    assert {e.url_name for e in NAVIGATION if e.shown_to} == NARROWER_THAN_PAGE


@pytest.mark.parametrize("persona", PERSONAS)
def test_menu_shows_exactly_the_pages_the_guards_let_in_and_each_opens(
    request, login, persona, elderly, other_department
):
    user = request.getfixturevalue(persona)
    client = login(user)
    scope = scope_for_user(user)
    page = client.get(reverse("accounts:password_change"))  # a page every role may open
    assert page.status_code == 200
    in_menu = {item["url"] for item in page.context["nav_items"]}

    for entry in NAVIGATION:
        url = reverse(entry.url_name)
        allow = _guard(entry.url_name)
        guard_allows = allow is None or getattr(scope, allow)
        menu_allows = entry.shown_to is None or getattr(scope, entry.shown_to)
        assert (url in in_menu) == (guard_allows and menu_allows), (persona, entry.url_name)

        response = client.get(url, follow=True)
        assert response.status_code == (200 if guard_allows else 403), (persona, url)


@pytest.mark.parametrize("persona", PERSONAS)
def test_each_roles_start_page_is_in_its_menu(request, login, persona):
    client = login(request.getfixturevalue(persona))
    start = client.get(reverse("core:home"))
    assert start.status_code == 302
    menu = client.get(reverse("accounts:password_change")).context["nav_items"]

    assert start.url in {item["url"] for item in menu}
