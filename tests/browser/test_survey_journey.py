"""A trainee answers the placement survey from a phone (375 × 667) with the keyboard only,
without logging in; the used link then answers with a Danish page and stores nothing."""

import re

import pytest
from playwright.sync_api import expect

from apps.survey.models import SurveyAnswer, SurveyLink
from apps.survey.services import links_issue
from tests.browser.helpers import assert_accessible, assert_error_described, tab_to
from tests.factories import WorkplaceFactory
from tests.survey.conftest import finished_placement

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 375, "height": 667}


def test_a_trainee_answers_on_a_phone_with_the_keyboard_only(open_context, watcher, elderly):
    placement = finished_placement(WorkplaceFactory(department=elderly, name="Plejecenter Eg"))
    [(_p, token)] = links_issue(placements=[placement])
    page = open_context().new_page()
    page.set_viewport_size(PHONE)
    page.goto(f"/praktikundersoegelse/svar/{token}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Hvordan var din praktik?")
    assert page.evaluate("() => document.documentElement.scrollWidth") <= PHONE["width"]
    assert_accessible(page)

    # Sending without answers: the errors are shown beside the questions.
    tab_to(page, page.get_by_role("button", name="Send svar"))
    with watcher.allow(r"status of 400"), page.expect_navigation():
        page.keyboard.press("Enter")
    first = page.get_by_role("radio", name="Ja, i høj grad")
    assert_error_described(page, first, "Vælg et svar: følte du dig godt modtaget?")
    assert_accessible(page)

    # Q1: Tab into the group, arrow down to "Ja, i nogen grad".
    tab_to(page, first)
    page.keyboard.press("ArrowDown")
    expect(page.get_by_role("radio", name="Ja, i nogen grad")).to_be_checked()
    # Q2: Tab to "Ja", Space to choose it.
    tab_to(page, page.get_by_role("radio", name="Ja", exact=True))
    page.keyboard.press("Space")
    expect(page.get_by_role("radio", name="Ja", exact=True)).to_be_checked()
    # Q3: Tab into the scale, three steps right to 4.
    tab_to(page, page.get_by_role("radio", name="1", exact=True))
    for _ in range(3):
        page.keyboard.press("ArrowRight")
    expect(page.get_by_role("radio", name="4", exact=True)).to_be_checked()
    # Free text, then send.
    tab_to(page, page.get_by_label("Vil du fortælle os mere? (frivilligt)"))
    page.keyboard.type("Gode kolleger")
    tab_to(page, page.get_by_role("button", name="Send svar"))
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Tak for dit svar")
    assert_accessible(page)

    answer = SurveyAnswer.objects.get()
    assert (answer.welcomed, answer.had_supervisor, answer.guidance_satisfaction) == (
        "some",
        True,
        4,
    )
    assert answer.comment == "Gode kolleger"

    with watcher.allow(r"status of 410"):
        page.goto(f"/praktikundersoegelse/svar/{token}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Du har allerede svaret")
    assert SurveyAnswer.objects.count() == 1 and SurveyLink.objects.get().used


def test_the_survey_is_answered_with_javascript_turned_off(new_context, live_server, elderly):
    placement = finished_placement(WorkplaceFactory(department=elderly))
    [(_p, token)] = links_issue(placements=[placement])
    context = new_context(base_url=live_server.url, java_script_enabled=False)
    page = context.new_page()
    page.set_viewport_size(PHONE)
    page.goto(f"/praktikundersoegelse/svar/{token}/")
    page.get_by_text("Nej, ikke rigtigt").click()
    page.get_by_text("Nej", exact=True).click()
    page.get_by_text("2", exact=True).click()
    page.get_by_role("button", name="Send svar").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Tak for dit svar")
    assert SurveyAnswer.objects.get().welcomed == "not_really"


def test_a_coordinator_reads_the_results_and_prints_links(page_for, coordinator, elderly):
    from tests.survey.conftest import YES_HIGH, YES_SOME, answers

    home = WorkplaceFactory(department=elderly, name="Plejecenter Eg")
    answers(home, [YES_HIGH] * 3 + [YES_SOME] * 3, comment="Gode kolleger")
    finished_placement(home)
    page = page_for(coordinator)
    menu = page.get_by_role("navigation", name="Hovedmenu")
    with page.expect_navigation():
        menu.get_by_role("link", name="Praktikundersøgelse", exact=True).click()
    table = page.get_by_role("table", name="Følte du dig godt modtaget på dit praktiksted?")
    expect(table.get_by_role("row", name="Plejecenter Eg")).to_contain_text("50\u00a0%")
    expect(page.get_by_text("Gode kolleger 0")).to_be_visible()
    assert_accessible(page)

    with page.expect_navigation():
        page.get_by_role("link", name="Udskriv personlige links med QR-koder").click()
    with page.expect_navigation():
        page.get_by_role("button", name="Find praktikperioder").click()
    expect(page.get_by_text("1 afsluttet praktikperiode uden svar.")).to_be_visible()
    assert_accessible(page)
    with page.expect_navigation():
        page.get_by_role("button", name="Lav ark med links").click()
    expect(page.get_by_role("img", name=re.compile("QR-kode til spørgeskemaet"))).to_be_visible()
    assert_accessible(page)
