"""Telling a process from a later one that got the same process id (Linux `/proc`)."""

from __future__ import annotations

import os


def process_started(pid: int) -> str:
    """When process `pid` started (clock ticks since boot, Linux), to tell it from a later
    process that got the same id; "" where the system does not say."""
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().rsplit(")", 1)[1].split()[19]
    except (OSError, IndexError):
        return ""


def pid_alive(pid: int, started: str = "") -> bool:
    """Whether process `pid` of this host still runs, and is the one that started at
    `started` ("" when unknown) rather than a later process that got the same id. A process
    of another user (no permission to signal it) counts as running."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return not started or process_started(pid) in ("", started)
