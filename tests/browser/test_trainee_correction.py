"""HR corrects a trainee: the form is accessible and a bad value is announced at its field."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import assert_accessible, assert_error_described
from tests.factories import TraineeFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_hr_corrects_a_trainee_and_a_missing_start_date_is_announced_at_its_field(
    page_for, watcher, hr, elderly
):
    trainee = TraineeFactory(department=elderly, first_name="Asta", last_name="Holm")
    page = page_for(hr)
    page.get_by_role("navigation", name="Hovedmenu").get_by_role("link", name="Elever").click()
    page.get_by_role("link", name="Asta Holm").click()
    page.get_by_role("link", name="Ret oplysninger").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Ret elev {trainee.hr_id}")
    assert_accessible(page)

    start_date = page.get_by_label(re.compile("^Startdato"))
    start_date.fill("")
    with watcher.allow(r"status of 4\d\d"), page.expect_navigation():
        page.get_by_role("button", name="Gem rettelse").click()
    expect(page.get_by_role("alert")).to_contain_text("Rettelsen er ikke gemt")
    expect(start_date).to_have_attribute("aria-invalid", "true")
    assert_error_described(page, start_date, "påkrævet")
    assert_accessible(page)
