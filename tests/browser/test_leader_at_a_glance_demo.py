"""Journey 3 on the demo: the leaders of Hillerød (`leder`) and Frederikssund
(`leder-frederikssund`) open their page and see, first, the summary line of their goals and,
beside the KPIs, the targets; the page has no serious or critical accessibility violation."""

import re

import pytest
from playwright.sync_api import expect

from apps.demo.organisation import demo_password
from tests.browser.helpers import assert_accessible, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SUMMARY = re.compile(r"\d+ bagud .*\d+ forfald(en|ne) opfølgning")


def test_the_demo_leaders_see_the_summary_line_and_targets(demo, open_context):

    for username, department in (("leder", "Ældre og Sundhed"), ("leder-frederikssund", "Døgn")):
        page = open_context().new_page()
        log_in(page, username, demo_password())
        page.goto("/overblik/fagomraade/")
        expect(page.get_by_role("heading", level=1)).to_contain_text(department)

        summary = page.locator("#goal-summary")
        expect(summary).to_have_text(SUMMARY)
        # The summary comes before the KPI tiles: what to bring to the meeting is read first.
        heading = page.get_by_role("heading", name="Målsætningerne lige nu")
        assert heading.bounding_box()["y"] < page.locator("article").first.bounding_box()["y"]

        # Targets: on the KPI tiles and on the goals' KPI lines.
        expect(page.locator("article dt", has_text="Mål").first).to_be_visible()
        expect(page.locator(".goal-kpi-list li", has_text="mål ").first).to_be_attached()
        assert_accessible(page)
        page.close()
