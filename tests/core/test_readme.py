"""The README's quick start matches what `bin/demo` does."""

import json
import re
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
README = (REPO / "README.md").read_text(encoding="utf-8")


def test_the_readme_lists_every_demo_login():
    users = json.loads((REPO / "fixtures/demo/users.json").read_text(encoding="utf-8"))
    listed = set(re.findall(r"^\| `([a-z-]+)` \|", README, flags=re.MULTILINE))
    assert {u["username"] for u in users["users"]} == listed
    assert f"`{users['password']}`" in README


def test_the_quick_start_is_two_commands_and_the_port_is_documented():
    block = README.split("## Quick start", 1)[1].split("```bash", 1)[1].split("```", 1)[0]
    assert block.strip().splitlines() == ["./bin/demo", "./bin/test"]
    assert "| `PORT` |" in README
    demo = (REPO / "bin/demo").read_text(encoding="utf-8")
    assert 'PORTAL_BASE_URL="${PORTAL_BASE_URL:-http://127.0.0.1:$port}"' in demo
