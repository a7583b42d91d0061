"""Telling a process from a later one that got the same process id (Linux `/proc`)."""

from __future__ import annotations


def process_started(pid: int) -> str:
    """When process `pid` started (clock ticks since boot, Linux), to tell it from a later
    process that got the same id; "" where the system does not say."""
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().rsplit(")", 1)[1].split()[19]
    except (OSError, IndexError):
        return ""
