"""Real `manage.py task_worker` processes for the tests: started against the test database,
in an empty folder of their own, sharing nothing with the test process but PostgreSQL."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import psycopg
from django.conf import settings
from django.db import connection

ROOT = Path(__file__).resolve().parent.parent
PATIENCE = 180  # seconds a poll waits before giving up: generous, for a loaded machine


def worker_env(folder: Path, **extra: str) -> dict[str, str]:
    """The environment of a worker process on "another machine": its own empty working,
    data and temporary folders, the test database."""
    (folder / "tmp").mkdir(parents=True, exist_ok=True)
    database = settings.DATABASES["default"]
    return {
        "PATH": os.environ.get("PATH", ""),
        "PYTHONPATH": str(ROOT),
        "DJANGO_SETTINGS_MODULE": "strategy_portal.settings_test",
        "DATABASE_URL": (
            f"postgres://{database['USER']}@{database['HOST']}:{database['PORT']}/"
            f"{connection.settings_dict['NAME']}"
        ),
        "DATA_DIR": str(folder / "data"),
        "TMPDIR": str(folder / "tmp"),
        "HOME": str(folder),
        **extra,
    }


def dead_worker_id() -> str:
    """The worker id of a real process (on this host) that has exited."""
    from apps.scheduling.recovery import worker_id_for

    child = subprocess.Popen([sys.executable, "-c", "pass"])  # noqa: S603
    worker_id = worker_id_for(child.pid)
    child.wait()
    return worker_id


def other_connection() -> psycopg.Connection:
    """A second, independent connection to the test database (another process's view)."""
    config = connection.settings_dict
    return psycopg.connect(
        dbname=config["NAME"],
        user=config["USER"],
        host=config["HOST"],
        port=config["PORT"] or 5432,
        password=config["PASSWORD"] or None,
    )


def task_worker_command(*options: str) -> list[str]:
    return [sys.executable, str(ROOT / "manage.py"), "task_worker", "--no-startup-delay", *options]


def start_task_worker(folder: Path, *options: str, **env: str) -> subprocess.Popen:
    """A long-running `task_worker` (stop it with SIGTERM or SIGKILL and wait for it)."""
    folder.mkdir(parents=True, exist_ok=True)
    return subprocess.Popen(  # noqa: S603 - our own manage.py
        task_worker_command("--interval", "0.2", *options),
        cwd=folder,
        env=worker_env(folder, **env),
        stdout=subprocess.DEVNULL,
        stderr=open(folder / "stderr.log", "wb"),  # noqa: SIM115 - read after the process ends
    )


def run_task_worker_batch(folder: Path, **env: str) -> subprocess.CompletedProcess:
    """`task_worker --batch`: recover, run every task that is ready, exit."""
    folder.mkdir(parents=True, exist_ok=True)
    return subprocess.run(  # noqa: S603 - our own manage.py
        task_worker_command("--batch"),
        cwd=folder,
        env=worker_env(folder, **env),
        capture_output=True,
        timeout=PATIENCE * 2,
        check=False,
    )


def wait_for(condition: Callable[[], object], what: str, timeout: float = PATIENCE):
    """Poll `condition` until it is true; fail naming `what` after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"gave up waiting for {what}")
        time.sleep(0.1)
