"""The browser tests wait on states and events, never on time: a fixed pause is too short on
a loaded machine and wasted on a quiet one (see tests/browser/helpers.py)."""

import ast
from pathlib import Path

BROWSER_TESTS = Path(__file__).resolve().parents[1] / "browser"
FIXED_WAITS = {"wait_for_timeout", "sleep"}


def test_no_browser_test_pauses_for_a_fixed_time():
    files = sorted(BROWSER_TESTS.glob("*.py"))
    assert len(files) > 3
    pauses = [
        f"{path.name}:{node.lineno}"
        for path in files
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute | ast.Name)
        and getattr(node.func, "attr", getattr(node.func, "id", None)) in FIXED_WAITS
    ]
    assert pauses == [], "Fixed pauses in browser tests: " + ", ".join(pauses)
