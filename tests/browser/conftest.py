"""Real-browser tests: the system Chromium driven by Playwright against Django's live server.

Every test module here is marked `browser` and `django_db(transaction=True)`: the live
server thread must see the rows the test commits. A transactional test ends with a flush,
which also empties the reference catalogues the data migrations wrote (programmes, dropout
reasons, …); `reference_data` writes them again before each test (helpers.py).

Needs (CI installs both; nothing here is skipped when they are missing, the tests fail):
- Chromium at /usr/bin/chromium (`apt-get install -y chromium`; never `playwright install`),
- axe-core in node_modules/ (`npm ci` at the repository root).
"""

import os

import pytest
from playwright.sync_api import BrowserContext, Page, expect

from tests.browser.helpers import (
    AXE_PATH,
    CHROMIUM_PATH,
    LOADED_MACHINE_TIMEOUT,
    STATE_TIMEOUT,
    PageWatcher,
    log_in,
    missing_requirements,
)
from tests.catalogues import replay_data_migrations

expect.set_options(timeout=STATE_TIMEOUT)

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session", autouse=True)
def allow_orm_beside_playwright():
    """Playwright's sync API runs an event loop in the test thread; Django must still allow
    ORM calls there. Set only once a browser test runs (not for `-m "not browser"`)."""
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    yield
    if previous is None:
        os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    else:
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture(scope="session")
def browser_type_launch_args():
    problem = missing_requirements()
    if problem:
        pytest.fail(problem, pytrace=False)
    return {"executable_path": str(CHROMIUM_PATH), "headless": True, "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def browser_context_args():
    return {"locale": "da-DK", "viewport": {"width": 1280, "height": 900}}


@pytest.fixture(scope="session")
def axe_source() -> str:
    problem = missing_requirements()
    if problem:
        pytest.fail(problem, pytrace=False)
    return AXE_PATH.read_text(encoding="utf-8")


@pytest.fixture(autouse=True)
def reference_data(transactional_db):
    """The data migrations' catalogues, as a freshly migrated database has them."""
    replay_data_migrations()


@pytest.fixture
def watcher() -> PageWatcher:
    """Collects console errors, page errors and CSP violations of every page a test opens;
    the test fails at teardown when any was seen (unless the test expected it)."""
    watcher = PageWatcher()
    yield watcher
    watcher.assert_clean()


@pytest.fixture
def open_context(new_context, live_server, watcher, axe_source):
    """`open_context()` gives a fresh browser context (its own cookies) on the live server,
    with the console/CSP watcher and the axe-core source attached to every page in it."""

    def _open() -> BrowserContext:
        context = new_context(base_url=live_server.url)
        context.set_default_timeout(STATE_TIMEOUT)
        context.set_default_navigation_timeout(LOADED_MACHINE_TIMEOUT)
        watcher.attach(context)
        context.axe_source = axe_source
        return context

    return _open


@pytest.fixture
def anonymous_page(open_context) -> Page:
    return open_context().new_page()


@pytest.fixture
def page_for(open_context, password):
    """`page_for(user)` logs the persona in through the real login form, in a context of
    its own, and returns the page it lands on."""

    def _page_for(user) -> Page:
        page = open_context().new_page()
        log_in(page, user.username, password)
        return page

    return _page_for
