"""Building blocks of the browser tests: requirements, console/CSP watcher, axe-core runner,
logging in through the real form, and keyboard-only navigation."""

import re
from contextlib import contextmanager
from pathlib import Path

from playwright.sync_api import BrowserContext, Locator, Page, expect

REPO_ROOT = Path(__file__).resolve().parents[2]
CHROMIUM_PATH = Path("/usr/bin/chromium")
AXE_PATH = REPO_ROOT / "node_modules" / "axe-core" / "axe.min.js"

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]

# How long a state may take to arrive (an element, a navigation, a file chooser). Only an
# upper bound: a wait ends as soon as the state is there, so a generous bound costs nothing
# on a quiet machine and keeps the tests passing on a loaded one.
STATE_TIMEOUT = 30_000
LOADED_MACHINE_TIMEOUT = 60_000
BLOCKING_IMPACTS = {"serious", "critical"}


def missing_requirements() -> str | None:
    """A clear message naming what is missing and how to install it, or None."""
    problems = []
    if not CHROMIUM_PATH.exists():
        problems.append(
            f"Chromium is missing at {CHROMIUM_PATH}: install it with "
            "`apt-get install -y chromium` (never `playwright install`)."
        )
    if not AXE_PATH.exists():
        problems.append(
            f"axe-core is missing at {AXE_PATH}: run `npm ci` in {REPO_ROOT} "
            "(package.json and package-lock.json pin it)."
        )
    if problems:
        return "Browser tests cannot run. " + " ".join(problems)
    return None


# ---------------------------------------------------------------------------
# Reference data
# ---------------------------------------------------------------------------


# ---------------------------------------------------------------------------
# Console errors, page errors and CSP violations
# ---------------------------------------------------------------------------

# Runs in every document before the page's own scripts (through the DevTools protocol, so
# the page's CSP does not block it) and reports CSP violations as console errors.
CSP_LISTENER = """
document.addEventListener('securitypolicyviolation', (event) => {
  console.error('CSP violation: ' + event.violatedDirective + ' blocked '
    + (event.blockedURI || 'inline') + ' at ' + event.sourceFile + ':' + event.lineNumber);
});
"""


class PageWatcher:
    """Records console errors, uncaught page errors and CSP violations of every page."""

    def __init__(self) -> None:
        self.problems: list[str] = []
        self._allowed: list[re.Pattern] = []

    def attach(self, context: BrowserContext) -> None:
        context.add_init_script(CSP_LISTENER)
        context.on("page", self._watch)

    def _watch(self, page: Page) -> None:
        page.on("console", lambda msg: self._console(page, msg))
        page.on("pageerror", lambda exc: self._record(f"page error on {page.url}: {exc}"))
        page.on("response", lambda response: self._response(page, response))

    def _response(self, page: Page, response) -> None:
        # Names the failing file, which the console line ("Failed to load resource") does not.
        if response.status >= 400 and response.request.resource_type != "document":
            self._record(
                f"{response.status} for {response.request.resource_type} {response.url} "
                f"(on {page.url})"
            )

    def _console(self, page: Page, msg) -> None:
        if msg.type == "error":
            self._record(f"console error on {page.url}: {msg.text}")

    def _record(self, problem: str) -> None:
        if any(pattern.search(problem) for pattern in self._allowed):
            return
        self.problems.append(problem)

    @contextmanager
    def allow(self, pattern: str):
        """Inside this block, a problem matching `pattern` is expected (e.g. the browser's
        own "status of 404" log line when the test visits a page that must be a 404)."""
        compiled = re.compile(pattern)
        self._allowed.append(compiled)
        try:
            yield
        finally:
            self._allowed.remove(compiled)

    def assert_clean(self) -> None:
        assert not self.problems, "Console errors or CSP violations:\n" + "\n".join(self.problems)


# ---------------------------------------------------------------------------
# axe-core
# ---------------------------------------------------------------------------


def _inject_axe(page: Page) -> None:
    if page.evaluate("() => typeof window.axe === 'object'"):
        return
    # Evaluated through the DevTools protocol: the page's CSP (no inline scripts) still
    # holds for the page itself, and no CSP violation is raised by the test tooling.
    page.evaluate("() => {" + page.context.axe_source + "\n}")


SETTLE = """() => Promise.all(document.getAnimations()
  .filter((a) => a.effect && a.effect.getComputedTiming().endTime !== Infinity)
  .map((a) => a.finished.catch(() => null)))"""


def axe_violations(page: Page) -> list[dict]:
    """All WCAG 2.1 A/AA violations axe-core finds on the page once its CSS transitions
    have ended (a button fading to its focus colours is measured at its final colours)."""
    page.evaluate(SETTLE)
    _inject_axe(page)
    result = page.evaluate(
        "async (tags) => await axe.run(document, {runOnly: {type: 'tag', values: tags},"
        " resultTypes: ['violations']})",
        WCAG_TAGS,
    )
    return result["violations"]


def format_violations(url: str, violations: list[dict]) -> str:
    lines = [f"axe-core found {len(violations)} WCAG 2.1 A/AA violation(s) on {url}:"]
    for violation in violations:
        lines.append(
            f"\n[{violation['impact']}] {violation['id']}: {violation['help']}\n"
            f"  rule: {violation['helpUrl']}"
        )
        for node in violation["nodes"][:8]:
            target = " ".join(str(t) for t in node["target"])
            lines.append(f"  - {target}\n    {node['html'][:200]}")
            summary = node.get("failureSummary", "").replace("\n", "\n      ")
            if summary:
                lines.append(f"      {summary}")
        if len(violation["nodes"]) > 8:
            lines.append(f"  … and {len(violation['nodes']) - 8} more element(s)")
    return "\n".join(lines)


def assert_accessible(page: Page) -> None:
    """No serious or critical WCAG 2.1 A/AA violation on the page; the page is Danish."""
    expect(page.locator("html")).to_have_attribute("lang", "da")
    violations = [v for v in axe_violations(page) if v["impact"] in BLOCKING_IMPACTS]
    assert not violations, format_violations(page.url, violations)


# ---------------------------------------------------------------------------
# Logging in
# ---------------------------------------------------------------------------


def log_in(page: Page, username: str, password: str) -> None:
    """Log in as a person does: the login page, the two labelled fields, the button."""
    page.goto("/konto/log-ind/")
    page.get_by_label("Brugernavn").fill(username)
    page.get_by_label("Adgangskode").fill(password)
    with page.expect_navigation():
        page.get_by_role("button", name="Log ind").click()
    assert "/konto/log-ind/" not in page.url, f"login as {username} failed: still on {page.url}"


# ---------------------------------------------------------------------------
# Keyboard
# ---------------------------------------------------------------------------

FOCUS_INFO = """(target) => {
  const el = document.activeElement;
  if (!el || el === document.body) return {info: null, hit: false};
  const style = getComputedStyle(el);
  const label = (el.getAttribute('aria-label') || el.innerText || el.value
                 || el.getAttribute('name') || el.id || '').trim().slice(0, 60);
  const rect = el.getBoundingClientRect();
  return {
    info: {
      tag: el.tagName.toLowerCase(),
      label: label,
      outline: style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0,
      shadow: style.boxShadow !== 'none',
      visible: rect.width > 0 && rect.height > 0,
      // Tab also stops on a date field's calendar button inside the browser's own shadow
      // tree: the field is then the active element without matching :focus, and the
      // browser draws its own focus ring around the button, which the page cannot see.
      picker: /^(date|time|datetime-local|month|week)$/.test(el.type || '')
              && !el.matches(':focus'),
    },
    hit: !!target && (target === el || target.contains(el)),
  };
}"""


def focused(page: Page) -> dict | None:
    return page.evaluate(FOCUS_INFO, None)["info"]


def describe(info: dict | None) -> str:
    if info is None:
        return "<body>"
    return f"<{info['tag']}> {info['label']!r}"


def _check_visible(info: dict | None) -> None:
    assert info is not None, "nothing has keyboard focus"
    assert info["visible"], f"focused element is not on screen: {describe(info)}"
    assert info["outline"] or info["shadow"] or info["picker"], (
        f"no visible focus indicator on {describe(info)}"
    )


def assert_focus_visible(page: Page) -> None:
    _check_visible(focused(page))


def tab_to(page: Page, target: Locator, *, max_presses: int = 80, backwards: bool = False) -> list:
    """Press Tab (or Shift+Tab) until `target` has focus, checking at every stop that the
    focus is visible. Returns the focus order seen; fails if the target is never reached."""
    key = "Shift+Tab" if backwards else "Tab"
    handle = target.element_handle()
    order = []
    for _ in range(max_presses):
        page.keyboard.press(key)
        state = page.evaluate(FOCUS_INFO, handle)
        order.append(describe(state["info"]))
        if state["info"] is not None:
            _check_visible(state["info"])
        if state["hit"]:
            return order
    raise AssertionError(
        f"{key} never reached {target} after {max_presses} presses; focus order was:\n  "
        + "\n  ".join(order)
    )


def _ignore(_event) -> None:
    return None


def choose_file_by_keyboard(page: Page, field: Locator, path: Path) -> None:
    """Tab to a file field, open its chooser with Space as a keyboard user does, and pick
    `path`. Waits on events and states only, never on time:

    - Playwright intercepts file choosers only while something listens for them, and turns
      that on without waiting for the browser. A listener is added before the Tab presses,
      whose round trips to the page make sure the interception is on when Space is pressed
      (pressed too early, the chooser opens unseen and nothing can be chosen).
    - One key press, waited on with a generous timeout: on a loaded machine the chooser can
      take seconds, and a second press while it is opening opens nothing.
    """
    page.on("filechooser", _ignore)
    try:
        tab_to(page, field)
        expect(field).to_be_focused()
        with page.expect_file_chooser(timeout=LOADED_MACHINE_TIMEOUT) as chooser:
            page.keyboard.press("Space")
        chooser.value.set_files(path)
    finally:
        page.remove_listener("filechooser", _ignore)
    expect(field).to_have_value(re.compile(re.escape(path.name) + "$"))


def assert_no_keyboard_trap(page: Page, *, max_presses: int = 120) -> list:
    """Tab on from where focus is: it must move through the page and leave it at the end
    (to the browser's own UI) rather than cycle inside a part of it."""
    seen = []
    for _ in range(max_presses):
        page.keyboard.press("Tab")
        info = focused(page)
        if info is None:
            return seen  # focus left the document: no trap
        _check_visible(info)
        seen.append(describe(info))
    raise AssertionError(
        "keyboard focus never left the page (a focus trap?); last stops:\n  "
        + "\n  ".join(seen[-20:])
    )


def assert_error_described(page: Page, field: Locator, text: str) -> None:
    """The field's error is shown beside it and named by its aria-describedby, so a screen
    reader reads the error together with the field."""
    described_by = (field.get_attribute("aria-describedby") or "").split()
    found = []
    for ident in described_by:
        description = page.locator(f"[id='{ident}']")
        found.append(description.inner_text() if description.count() else f"<no #{ident}>")
        if text in found[-1]:
            expect(description).to_be_visible()
            return
    raise AssertionError(
        f"no error containing {text!r} is tied to the field: aria-describedby={described_by!r}"
        f" reads {found!r}"
    )


def totp_now(page: Page) -> str:
    """The current six-digit code for the key the enrolment page shows, as the app would."""
    from base64 import b32decode

    from django_otp.oath import TOTP

    key = page.locator("p", has_text="Nøgle").locator("code").inner_text().replace(" ", "").strip()
    return f"{TOTP(b32decode(key)).token():06d}"


def type_date(page: Page, field: Locator, day: int, month: int, year: int) -> None:
    """Type a date into the focused `<input type="date">` as a person would: digits, in the
    field order the browser shows. Danish Chromium shows dd.mm.åååå; the Debian package
    without its l10n files shows mm/dd/yyyy, whatever the page's locale. Both are tried."""
    expected = f"{year:04d}-{month:02d}-{day:02d}"
    orders = [f"{day:02d}{month:02d}{year:04d}", f"{month:02d}{day:02d}{year:04d}"]
    for digits in orders:
        page.keyboard.type(digits)
        if field.input_value() == expected:
            return
        # Back to the first of the three parts (typing overwrites a part).
        page.keyboard.press("Shift+Tab")
        page.keyboard.press("Shift+Tab")
    raise AssertionError(f"could not type {expected} into the date field: {field.input_value()!r}")


CHARTS = """() => Array.from(document.querySelectorAll('canvas')).map((canvas) => {
  const figure = canvas.closest('figure');
  const toggle = figure && figure.querySelector('button[aria-controls]');
  const table = toggle && document.getElementById(toggle.getAttribute('aria-controls'));
  return {
    id: canvas.id,
    role: canvas.getAttribute('role'),
    label: (canvas.getAttribute('aria-label') || '').trim(),
    caption: figure && figure.querySelector('figcaption')
      ? figure.querySelector('figcaption').textContent.trim() : '',
    table: !!(table && table.querySelector('table caption, table[aria-label]')),
  };
})"""


def assert_charts_have_text_alternatives(page: Page) -> int:
    """Every chart is an image with a text description, inside a captioned figure with a
    button that shows the same numbers as a captioned table. Returns the number of charts."""
    charts = page.evaluate(CHARTS)
    bad = [
        c
        for c in charts
        if c["role"] != "img" or not c["label"] or not c["caption"] or not c["table"]
    ]
    assert not bad, f"charts without a text or table alternative on {page.url}: {bad}"
    return len(charts)


def save_goal_follow_up(page: Page, form: Locator, *, goal: str, owner: str) -> Locator:
    """In the grid's open goal form, with the owner box focused: choose `owner`, set the
    follow-up date 30.06.2027 and status "På sporet" with the keyboard, save, and check the
    goal is shown again with them and the save announced. Returns the goal's list item."""
    owner_box = form.get_by_role("combobox", name=re.compile("^Ansvarlig"))
    page.keyboard.type(owner)
    expect(owner_box.locator("option:checked")).to_have_text(owner)
    follow_up = form.get_by_role("textbox", name=re.compile("^Opfølgningsdato"))
    tab_to(page, follow_up)
    type_date(page, follow_up, 30, 6, 2027)
    status = form.get_by_role("combobox", name=re.compile("^Status"))
    tab_to(page, status)
    page.keyboard.type("På")
    expect(status.locator("option:checked")).to_have_text("På sporet")
    tab_to(page, form.get_by_role("button", name="Gem"))
    page.keyboard.press("Enter")

    item = page.get_by_role("listitem").filter(has=page.get_by_role("link", name=goal))
    expect(item.get_by_text("På sporet")).to_be_visible()
    expect(item).to_contain_text(owner)
    expect(item).to_contain_text("30.06.2027")
    expect(page.get_by_role("status").filter(has_text="Målsætningen er gemt.")).to_be_attached()
    return item
