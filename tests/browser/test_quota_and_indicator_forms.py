"""The quota and indicator forms in a browser: a coordinator enters a range with a mistake,
reads the Danish message next to the field, corrects it; every page passes axe-core."""

import pytest
from playwright.sync_api import expect

from apps.core.roles import Role
from apps.trainees.models import IntakeQuota
from tests.browser.helpers import assert_accessible
from tests.factories import DepartmentFactory, MunicipalityFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_coordinator_enters_a_range_quota_and_opens_the_indicator_form(page_for):
    municipality = MunicipalityFactory(code=219, name="Hillerød Kommune")
    DepartmentFactory(municipality=municipality, name="Ældre og Sundhed")
    user = UserFactory(username="kirsten", role=Role.COORDINATOR, municipality=municipality)
    page = page_for(user)

    page.goto("/dimensionering/")
    assert_accessible(page)
    page.get_by_role("link", name="Opret dimensionering").click()
    page.get_by_label("Uddannelse").select_option(label="Pædagog")
    page.get_by_label("År").fill("2025")
    page.get_by_label("Fagområde").select_option(label="Ældre og Sundhed")
    page.get_by_label("Minimum").fill("35")
    page.get_by_label("Maksimum").fill("30")
    page.get_by_role("button", name="Gem dimensionering").click()
    maximum = page.get_by_label("Maksimum")
    expect(maximum).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#maximum-error")).to_have_text("Maksimum må ikke være mindre end minimum.")
    assert_accessible(page)
    page.get_by_label("Minimum").fill("30")
    page.get_by_label("Maksimum").fill("35")
    page.get_by_role("button", name="Gem dimensionering").click()
    expect(page.get_by_role("table")).to_contain_text("30–35")
    quota = IntakeQuota.objects.get()
    assert (quota.minimum, quota.maximum, quota.department.name) == (30, 35, "Ældre og Sundhed")

    page.get_by_role("link", name="Importér fra regneark").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Importér dimensioneringer fra et regneark"
    )
    assert_accessible(page)

    page.goto("/noegletal/nyt/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Opret nøgletal")
    assert_accessible(page)
