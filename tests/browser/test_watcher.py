"""The guards the other browser tests rely on can fail: a CSP violation, a console error and
an uncaught script error on a real portal page are all caught by the watcher, and axe-core
reports a violation it is shown."""

import pytest

from tests.browser.helpers import BLOCKING_IMPACTS, axe_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_watcher_catches_csp_violations_console_and_page_errors(anonymous_page, watcher):
    page = anonymous_page
    page.goto("/konto/log-ind/")
    assert watcher.problems == []

    # An inline script, as a template might add by mistake: the CSP must block it. Each
    # step waits for its own event (the watcher hears it first), never for a fixed time.
    with page.expect_console_message(lambda message: "CSP violation" in message.text):
        page.evaluate(
            """() => {
              const script = document.createElement('script');
              script.textContent = 'window.inlineRan = true;';
              document.body.appendChild(script);
            }"""
        )
    with page.expect_console_message(lambda message: "en fejl i konsollen" in message.text):
        page.evaluate("() => console.error('en fejl i konsollen')")
    with page.expect_event("pageerror"):
        page.evaluate("() => setTimeout(() => { throw new Error('ufanget fejl'); }, 0)")

    assert page.evaluate("() => window.inlineRan === undefined"), "the CSP let an inline script run"
    text = "\n".join(watcher.problems)
    assert "CSP violation: script-src" in text
    assert "en fejl i konsollen" in text
    assert "ufanget fejl" in text
    watcher.problems.clear()  # seen and expected here


def test_axe_reports_a_violation_it_is_shown(anonymous_page):
    page = anonymous_page
    page.goto("/konto/log-ind/")
    page.evaluate(
        """() => {
          const field = document.createElement('input');
          document.querySelector('main').appendChild(field);
          const image = document.createElement('img');
          image.src = '/static/img/favicon.svg';
          document.querySelector('main').appendChild(image);
        }"""
    )
    found = {v["id"] for v in axe_violations(page) if v["impact"] in BLOCKING_IMPACTS}
    assert {"label", "image-alt"} <= found
