"""Printing: a dashboard printed from the browser holds its content and the filters in force,
and no navigation, filter form or button text."""

import datetime
import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from apps.core.roles import Role
from apps.kpis.services import measurements_recompute
from tests.factories import UserFactory
from tests.kpis.builders import build_frederikssund

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Words that only the screen has: the main menu, the user menu, the filter form's button and
# the charts' table toggles.
SCREEN_ONLY = ["Gå til indhold", "Log ud", "Skift adgangskode", "Hovedmenu", "Vis tabel"]


def _printed_text(page) -> str:
    page.emulate_media(media="print")
    pdf = page.pdf(format="A4", print_background=False)
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)
    return " ".join(text.split())  # printed lines wrap where the paper ends


def test_a_printed_department_dashboard_has_content_and_filters_but_no_navigation(
    page_for, live_server, fred_printable
):
    data, leader = fred_printable
    page = page_for(leader)
    page.goto(f"{live_server.url}{reverse('dashboards:department', args=[data.dogn.pk])}?year=2023")
    page.wait_for_load_state("networkidle")

    text = _printed_text(page)

    assert "Overblik: Døgnplejen" in text
    assert "Filtre: Uddannelse: Alle uddannelser · År: 2023" in text
    assert "Optag i forhold til dimensionering" in text
    for word in SCREEN_ONLY:
        assert word not in text, f"{word!r} is printed"
    # The menu's own entries are not printed either.
    for link in page.get_by_role("navigation", name="Hovedmenu").get_by_role("link").all():
        label = link.inner_text().strip()
        if label and label not in {"Overblik"}:
            assert label not in text, f"menu item {label!r} is printed"


@pytest.fixture
def fred_printable():
    data = build_frederikssund()
    measurements_recompute(municipality_id=data.municipality.pk, as_of=datetime.date(2023, 12, 31))
    leader = UserFactory(
        username="dorte",
        role=Role.LEADER,
        municipality=data.municipality,
        departments=[data.dogn],
    )
    return data, leader
