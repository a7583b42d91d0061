"""A leader catches a trainee with high sick absence: the dashboard's section, the flag's
page, "sat i gang" with the keyboard alone; HR's list with rows. Every page passes axe."""

import re

import pytest
from playwright.sync_api import expect

from apps.alerts.services import absence_flags_recompute
from tests.alerts.conftest import AUG, OCT, SEP, absence
from tests.browser.helpers import assert_accessible, tab_to
from tests.factories import TraineeFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def flagged(municipality, elderly, school):
    ida = TraineeFactory(department=elderly, first_name="Ida", last_name="Ældre")
    sofus = TraineeFactory(department=school, first_name="Sofus", last_name="Skole")
    for trainee, months in ((ida, (1, 3, 5)), (sofus, (4, 4, 4))):
        for month, sick in zip((AUG, SEP, OCT), months, strict=True):
            absence(trainee, month, sick, 20)
    absence_flags_recompute(municipality_id=municipality.pk)
    return ida, sofus


def test_a_leader_marks_a_flag_set_in_motion_with_the_keyboard(page_for, leader, flagged):
    page = page_for(leader)
    page.get_by_role("navigation", name="Hovedmenu").get_by_role(
        "link", name="Mit fagområde"
    ).click()
    section = page.get_by_role("region", name="Elever med højt sygefravær")
    expect(section.get_by_role("link", name="Ida Ældre")).to_be_visible()
    expect(section).not_to_contain_text("Sofus Skole")
    expect(section).to_contain_text("Oktober 2026: 25,0")
    assert_accessible(page)

    section.get_by_role("link", name="Ida Ældre").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Højt sygefravær: Ida Ældre")
    assert_accessible(page)
    note = page.get_by_label("Hvad er sat i gang?")
    tab_to(page, note)
    page.keyboard.type("Samtale holdt; den personlige vejleder er orienteret")
    tab_to(page, page.get_by_role("button", name="Marker som sat i gang"))
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.get_by_text("Samtale holdt; den personlige vejleder er orienteret")).to_be_visible()
    expect(page.locator(".status-badge").first).to_have_text("Sat i gang")
    assert_accessible(page)

    # An empty note is refused next to the field, and announced.
    page.get_by_role("button", name="Marker som sat i gang").click()
    expect(page.get_by_role("alert")).to_contain_text("Skriv kort, hvad der er sat i gang.")
    assert_accessible(page)


def test_hr_filters_the_list_of_flags(page_for, hr, school, flagged):
    page = page_for(hr)
    page.get_by_role("navigation", name="Hovedmenu").get_by_role("link", name="Sygefravær").click()
    table = page.get_by_role("table")
    expect(table.get_by_role("link", name=re.compile("Ida Ældre|Sofus Skole"))).to_have_count(2)
    assert_accessible(page)
    page.get_by_label("Fagområde").select_option(label="Skole")
    page.get_by_role("button", name="Filtrér").click()
    expect(page.get_by_role("table").get_by_role("link")).to_have_text(["Sofus Skole"])
    assert_accessible(page)
