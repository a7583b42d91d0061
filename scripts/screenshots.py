"""Render the portal's main pages per role from the demo data into docs/screenshots/.

    .venv/bin/python scripts/screenshots.py [--out docs/screenshots]

What it does: creates a throwaway SQLite database in a temporary folder, runs `migrate`
and `load_demo`, starts the development server on a free 127.0.0.1 port, logs in through
the real login form as the demo users and captures PNGs with the system Chromium
(/usr/bin/chromium; install it with `apt-get install -y chromium`, never with
`playwright install`). The HR import preview comes from a real upload of a small trainee
xlsx with two bad rows, checked by `manage.py db_worker` running beside the server. Nothing
outside the temporary folder and the output folder is touched; the server and the worker
are stopped and the folder removed at the end.
"""

import argparse
import datetime
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
CHROMIUM = Path("/usr/bin/chromium")
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
VIEWPORT = {"width": 1366, "height": 900}
PHONE = {"width": 390, "height": 844}  # a common phone's CSS width
MAX_HEIGHT = 3000  # very long pages (Hillerød's 178 goals) are cut here


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def manage(env: dict, *args: str) -> None:
    subprocess.run(  # noqa: S603 - our own manage.py
        [sys.executable, "manage.py", *args], cwd=REPO, env=env, check=True
    )


def wait_for(url: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2):  # noqa: S310 - our own 127.0.0.1 server
                return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.3)
    raise SystemExit(f"The development server did not answer at {url}")


def trainee_xlsx(folder: Path) -> Path:
    """A month's trainee export for Hillerød: three good rows and two bad ones."""
    import openpyxl

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "Elever"
    sheet.append(
        ["Elev-ID", "Fornavn", "Efternavn", "Uddannelse", "Afdeling", "Startdato", "Status"]
    )
    start = datetime.date(2026, 8, 1)
    for row in [
        ["N9001", "Asta", "Holm", "SSH", "Ældre og Sundhed", start, "Aktiv"],
        ["N9002", "Bo", "Lund", "SSA", "Ældre og Sundhed", start, "Aktiv"],
        ["N9003", "Cecilie", "Berg", "PAU", "Dagtilbud", start, "Aktiv"],
        ["N9004", "Dan", "Kok", "Astronaut", "Ældre og Sundhed", start, "Aktiv"],
        ["N9005", "Eva", "Ibsen", "SSH", "Månebasen", start, "Aktiv"],
    ]:
        sheet.append(row)
    path = folder / "elever-november.xlsx"
    workbook.save(path)
    return path


class Shooter:
    def __init__(self, browser, base_url: str, out: Path, password: str):
        self.browser = browser
        self.base_url = base_url
        self.out = out
        self.password = password
        self.problems: list[str] = []

    def context(self):
        context = self.browser.new_context(
            base_url=self.base_url, viewport=VIEWPORT, locale="da-DK"
        )
        context.set_default_timeout(30_000)
        return context

    def log_in(self, context, username: str):
        page = context.new_page()
        page.on(
            "console",
            lambda msg: (
                msg.type == "error" and self.problems.append(f"{username} {page.url}: {msg.text}")
            ),
        )
        page.goto("/konto/log-ind/")
        page.get_by_label("Brugernavn").fill(username)
        page.get_by_label("Adgangskode").fill(self.password)
        with page.expect_navigation():
            page.get_by_role("button", name="Log ind").click()
        if "/konto/log-ind/" in page.url:
            raise SystemExit(f"Could not log in as {username}")
        return page

    def shot(self, page, name: str) -> None:
        page.wait_for_load_state("networkidle")
        page.wait_for_timeout(400)  # chart animations
        height = page.evaluate("() => document.documentElement.scrollHeight")
        path = self.out / f"{name}.png"
        if height > MAX_HEIGHT:
            page.screenshot(
                path=path,
                full_page=True,
                clip={"x": 0, "y": 0, "width": page.viewport_size["width"], "height": MAX_HEIGHT},
            )
        else:
            page.screenshot(path=path, full_page=True)
        print(f"  {path.relative_to(REPO)}  ({page.url.removeprefix(self.base_url)})")


def render(base_url: str, out: Path, password: str, xlsx: Path) -> list[str]:
    from playwright.sync_api import TimeoutError as PlaywrightTimeout
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        shooter = Shooter(browser, base_url, out, password)

        context = shooter.context()
        page = context.new_page()
        page.goto("/konto/log-ind/")
        shooter.shot(page, "01-login")
        context.close()

        context = shooter.context()
        page = shooter.log_in(context, "koordinator")
        shooter.shot(page, "02-koordinator-opfoelgning")
        page.goto("/strategi/")
        page.get_by_role("table").get_by_role("link").first.click()
        page.wait_for_load_state()
        shooter.shot(page, "03-koordinator-strategigitter")
        page.set_viewport_size(PHONE)
        shooter.shot(page, "14-koordinator-strategigitter-mobil")
        page.set_viewport_size(VIEWPORT)
        # The demo strategy is adopted (read-only): reopen it as a draft to edit in place.
        with page.expect_navigation():
            page.get_by_role("link", name="Genåbn som udkast").click()
        with page.expect_navigation():  # the confirmation page
            page.get_by_role("button", name="Ja, genåbn som udkast").click()
        edit = page.get_by_role("button", name="Rediger målsætning:").first
        edit.click()
        page.get_by_role("form", name="Rediger målsætning:").first.wait_for()
        edit_form = page.get_by_role("form", name="Rediger målsætning:").first
        edit_form.scroll_into_view_if_needed()
        page.screenshot(path=out / "04-koordinator-maal-rediger.png")
        print(f"  {(out / '04-koordinator-maal-rediger.png').relative_to(REPO)}  (inline editor)")
        page.goto("/overblik/")
        shooter.shot(page, "05-koordinator-overblik")
        page.goto("/noegletal/")
        shooter.shot(page, "06-koordinator-noegletal")
        context.close()

        context = shooter.context()
        page = shooter.log_in(context, "leder")
        shooter.shot(page, "07-leder-fagomraade")
        page.goto("/elever/")
        shooter.shot(page, "08-leder-elever")
        page.set_viewport_size(PHONE)
        page.goto("/")
        shooter.shot(page, "13-leder-fagomraade-mobil")
        context.close()

        context = shooter.context()
        page = shooter.log_in(context, "hr")
        shooter.shot(page, "09-hr-import")
        page.get_by_label("Regneark (xlsx eller csv)").set_input_files(xlsx)
        with page.expect_navigation():
            page.get_by_role("button", name="Upload og kontrollér").click()
        done = page.get_by_role("heading", name="Resultat af kontrollen").or_(
            page.get_by_role("heading", name="Filen blev afvist, og intet er ændret")
        )
        try:
            done.wait_for(timeout=60_000)
        except PlaywrightTimeout:
            shooter.problems.append(f"hr {page.url}: the import check did not finish in 60 s")
        if page.get_by_role("heading", name="Resultat af kontrollen").count() == 0:
            shooter.problems.append(
                f"hr {page.url}: no preview: {page.locator('main').inner_text()}"
            )
        else:
            # Every row: the rejected ones and the new ones with their values as stored.
            with page.expect_navigation():
                page.get_by_role("navigation", name="Vis rækker").get_by_role(
                    "link", name="Alle", exact=True
                ).click()
        shooter.shot(page, "10-hr-import-preview")
        page.goto("/elever/")
        shooter.shot(page, "11-hr-elever")
        context.close()

        context = shooter.context()
        page = shooter.log_in(context, "kkr")
        shooter.shot(page, "12-kkr-kommuner")
        context.close()
        browser.close()
        return shooter.problems


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=REPO / "docs" / "screenshots")
    args = parser.parse_args()
    if not CHROMIUM.exists():
        raise SystemExit(
            f"Chromium is missing at {CHROMIUM}: install it with `apt-get install -y chromium`."
        )
    out = args.out.resolve()
    out.mkdir(parents=True, exist_ok=True)
    password = json.loads((REPO / "fixtures/demo/users.json").read_text(encoding="utf-8"))[
        "password"
    ]

    folder = Path(tempfile.mkdtemp(prefix="strategiportalen-screenshots-"))
    env = os.environ | {
        "DATABASE_URL": f"sqlite:///{folder / 'db.sqlite3'}",
        "DATA_DIR": str(folder),
        "DEBUG": "true",
        "PYTHONUNBUFFERED": "1",
    }
    env.pop("DJANGO_SETTINGS_MODULE", None)
    server = worker = None
    try:
        print("Building the demo database (migrate, load_demo) ...")
        manage(env, "migrate", "--noinput", "-v", "0")
        manage(env, "load_demo", "--quiet-logins")
        port = free_port()
        base_url = f"http://127.0.0.1:{port}"
        server = subprocess.Popen(  # noqa: S603 - our own manage.py
            [sys.executable, "manage.py", "runserver", "--noreload", f"127.0.0.1:{port}"],
            cwd=REPO,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        # The background worker checks uploaded imports, as beside the real server.
        worker = subprocess.Popen(  # noqa: S603 - our own manage.py
            [sys.executable, "manage.py", "db_worker"],
            cwd=REPO,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        wait_for(f"{base_url}/konto/log-ind/")
        print(f"Capturing pages from {base_url} into {out} ...")
        problems = render(base_url, out, password, trainee_xlsx(folder))
        for problem in problems:
            print(f"  console error: {problem}")
    finally:
        for process in (server, worker):
            if process is not None:
                process.terminate()
                process.wait(timeout=10)
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
