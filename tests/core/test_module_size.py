"""No module under apps/ grows past 500 lines: a module that long holds more than one job
(STYLE.md B4: page assembly, presentation and KPI rules live apart)."""

from pathlib import Path

MAX_LINES = 500
APPS = Path(__file__).resolve().parents[2] / "apps"

EXCEPTIONS = {
    # Generated schema history, never edited by hand.
    "migrations": lambda p: "migrations" in p.parts,
    # The demo's generated population is data, not logic.
    "demo data": lambda p: p.parts[0] == "demo" and p.name.endswith("_data.py"),
}


def test_no_module_under_apps_is_longer_than_500_lines():
    too_long = []
    for path in sorted(APPS.rglob("*.py")):
        relative = path.relative_to(APPS)
        if any(rule(relative) for rule in EXCEPTIONS.values()):
            continue
        lines = len(path.read_text(encoding="utf-8").splitlines())
        if lines > MAX_LINES:
            too_long.append(f"apps/{relative}: {lines}")
    assert too_long == []


def test_the_exceptions_still_match_something():
    """An exception that matches no file any more is dead and should go."""
    files = [p.relative_to(APPS) for p in APPS.rglob("*.py")]
    for name, rule in EXCEPTIONS.items():
        assert any(rule(p) for p in files), name
