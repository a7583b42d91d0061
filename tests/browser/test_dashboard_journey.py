"""Journey 3: a leader opens their department's dashboard, reads a KPI tile and its chart's
data table, filters by programme (keyboard alone), follows a number to the trainees behind
it, and finds another department's dashboard "not found"."""

import datetime
import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from apps.core.roles import Role
from apps.kpis.services import measurements_recompute
from tests.browser.helpers import assert_accessible, assert_focus_visible, tab_to
from tests.factories import UserFactory
from tests.kpis.builders import build_frederikssund

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def fred():
    """Frederikssund-shaped trainees (the strategy document's own figures), facts as of the
    end of 2023."""
    data = build_frederikssund()
    measurements_recompute(municipality_id=data.municipality.pk, as_of=datetime.date(2023, 12, 31))
    return data


@pytest.fixture
def dogn_leader(fred):
    return UserFactory(
        username="dorte",
        first_name="Dorte",
        last_name="Døgn",
        role=Role.LEADER,
        municipality=fred.municipality,
        departments=[fred.dogn],
    )


def test_leader_reads_the_dashboard_filters_follows_a_number_and_cannot_see_others(
    page_for, watcher, fred, dogn_leader
):
    page = page_for(dogn_leader)
    expect(page.get_by_role("heading", level=1)).to_have_text("Overblik: Døgnplejen")
    assert_accessible(page)

    # Filter with the keyboard alone: programme SSH, year 2023, "Vis".
    filters = page.get_by_role("form", name="Filtre")
    programme = filters.get_by_label("Uddannelse")
    tab_to(page, programme)
    page.keyboard.type("Social- og sundhedshj")
    expect(programme).to_have_value("SSH")
    year = filters.get_by_label("År")
    tab_to(page, year)
    page.keyboard.type("2023")
    expect(year).to_have_value("2023")
    tab_to(page, filters.get_by_role("button", name="Vis"))
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"programme=SSH"))
    expect(programme).to_have_value("SSH")
    assert_accessible(page)

    # A KPI tile: intake against quota, with its figures and period. Døgnplejen has no quota
    # of its own, so the tile says so and shows its share of the municipality's intake.
    tile = page.get_by_role("article", name="Optag i forhold til dimensionering")
    expect(tile).to_contain_text("34,2 %")
    expect(tile).to_contain_text("13 af kommunens 38 nye elever")
    expect(tile).to_contain_text("Der er kun en dimensionering for hele kommunen")
    expect(tile).to_contain_text("2023")

    # What the tile's number means is one keyboard step away, and the tile refers to it.
    expect(tile).to_have_accessible_description(re.compile("dimensionering"))
    help_toggle = tile.get_by_text("Hvad viser tallet?")
    tab_to(page, help_toggle)
    page.keyboard.press("Enter")
    expect(tile.get_by_text("100 % betyder, at dimensioneringen er opfyldt")).to_be_visible()

    # Every chart has a text alternative (or, when every value is hidden, says so in words)
    # and a data table behind a "Vis tabel" button.
    charts = page.get_by_role("region", name="Udvikling og fordeling").get_by_role("figure")
    expect(charts.nth(2)).to_be_visible()  # at least three, once the page has them
    withheld = 0
    for index in range(charts.count()):
        figure = charts.nth(index)
        if figure.get_by_text("For få personer til at vise fordelingen.").count():
            withheld += 1
            expect(figure.get_by_role("img")).to_have_count(0)
        else:
            expect(figure.get_by_role("img")).to_have_attribute("aria-label", re.compile(r"\S"))
        expect(figure.get_by_role("button", name="Vis tabel")).to_have_attribute(
            "aria-expanded", "false"
        )
    assert withheld == 1  # the dropout reasons: under 5 each, hidden from a leader

    # The intake chart's table, opened with the keyboard.
    chart = page.get_by_role("figure", name="Optag og dimensionering – Social- og sundhedshjælper")
    toggle = chart.get_by_role("button", name=re.compile("(Vis|Skjul) tabel"))
    expect(toggle).to_have_text("Vis tabel")
    tab_to(page, toggle)
    page.keyboard.press("Enter")
    expect(toggle).to_have_attribute("aria-expanded", "true")
    expect(toggle).to_have_text("Skjul tabel")
    table = chart.get_by_role("table", name="Optag og dimensionering – Social- og sundhedshjælper")
    expect(table).to_be_visible()
    row_2023 = table.get_by_role("row").filter(has=page.get_by_role("rowheader", name="2023"))
    expect(row_2023.get_by_role("cell")).to_have_text(["13", "–", "–"])
    assert_accessible(page)

    # Follow the number to the trainees behind it.
    number = tile.get_by_role("link", name="34,2 %")
    tab_to(page, number)
    assert_focus_visible(page)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Elever og studerende")
    expect(page.get_by_text("13 elever fundet")).to_be_visible()
    trainees = page.get_by_role("table", name="Elever")
    expect(trainees.get_by_role("row")).to_have_count(14)  # the header and 13 trainees
    for text in ("Døgnplejen", "Social- og sundhedshjælper", "01.02.2023"):
        expect(trainees.get_by_role("row").filter(has_text=text)).to_have_count(13)
    assert_accessible(page)

    # Another department's dashboard is simply not there for this leader.
    other = reverse("dashboards:department", args=[fred.omsorg.pk])
    with watcher.allow(r"status of 404"):
        response = page.goto(other)
    assert response.status == 404
    expect(page.get_by_role("heading", level=1)).to_have_text("Siden blev ikke fundet")
    expect(page.get_by_text("Omsorgscentre og daghjem")).to_have_count(0)
    assert_accessible(page)
