"""Main navigation marks exactly one item as the current page: the best (longest) URL match."""

from html.parser import HTMLParser
from types import SimpleNamespace

import pytest
from django.urls import reverse

from apps.accounts.context_processors import navigation
from apps.core.roles import Role
from apps.core.scoping import Scope
from tests.factories import StrategyFactory

pytestmark = pytest.mark.django_db


class _MainNavParser(HTMLParser):
    """Collects the text of the links inside `#main-nav` that carry aria-current="page"."""

    def __init__(self):
        super().__init__()
        self.depth = 0  # nesting depth inside #main-nav; 0 = outside
        self.in_current_link = False
        self.current = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if self.depth:
            self.depth += 1
            if tag == "a" and attrs.get("aria-current") == "page":
                self.in_current_link = True
                self.current.append("")
        elif attrs.get("id") == "main-nav":
            self.depth = 1

    def handle_endtag(self, tag):
        if self.depth:
            self.depth -= 1
            if tag == "a":
                self.in_current_link = False

    def handle_data(self, data):
        if self.in_current_link:
            self.current[-1] += data.strip()


def _current_nav_items(response) -> list[str]:
    assert response.status_code == 200
    parser = _MainNavParser()
    parser.feed(response.content.decode())
    return parser.current


def test_followup_page_marks_only_opfoelgning_not_strategi_as_well(login, coordinator):
    response = login(coordinator).get(reverse("strategy:followup"))

    assert response.content.decode().count('aria-current="page"') == 1
    assert _current_nav_items(response) == ["Opfølgning"]


def test_strategy_list_marks_strategi(login, coordinator):
    response = login(coordinator).get(reverse("strategy:strategy_list"))

    assert _current_nav_items(response) == ["Strategi"]


def test_strategy_detail_marks_strategi_in_the_main_nav(login, coordinator, municipality):
    strategy = StrategyFactory(municipality=municipality)

    response = login(coordinator).get(reverse("strategy:strategy_detail", args=[strategy.pk]))

    assert _current_nav_items(response) == ["Strategi"]


def test_initiative_list_marks_indsatser_not_strategi(login, coordinator):
    response = login(coordinator).get(reverse("strategy:initiative_list"))

    assert _current_nav_items(response) == ["Indsatser"]


def test_kkr_overview_marks_kommuner_not_overblik(login, admin_user):
    response = login(admin_user).get(reverse("dashboards:kkr_overview"))

    assert _current_nav_items(response) == ["Kommuner"]


def _active_labels(path, role):
    request = SimpleNamespace(path=path, scope=Scope(user_id=1, role=role, municipality_id=1))
    return [str(item["label"]) for item in navigation(request)["nav_items"] if item["active"]]


def test_import_detail_page_keeps_import_marked():
    assert _active_labels("/import/42/", Role.HR) == ["Import"]


def test_page_outside_every_section_marks_nothing():
    assert _active_labels("/konto/adgangskode/", Role.COORDINATOR) == []
