"""Templates keep to the CSP: no inline scripts, no style attributes, no on…= handlers
(htmx's hx-on included), so the policy never needs 'unsafe-inline'."""

import re
from pathlib import Path

from django.conf import settings

INLINE_SCRIPT = re.compile(
    r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/(?:ld\+)?json\")[^>]*>", re.I
)
STYLE_ATTRIBUTE = re.compile(r"\sstyle\s*=", re.I)
EVENT_HANDLER = re.compile(r"\s(?:on[a-z]+|hx-on[:\w-]*)\s*=", re.I)


def _templates():
    roots = [
        Path(settings.BASE_DIR) / "templates",
        *Path(settings.BASE_DIR).glob("apps/*/templates"),
    ]
    for root in roots:
        yield from root.rglob("*.html")


def test_the_scanner_finds_what_it_looks_for():
    assert INLINE_SCRIPT.search("<script>alert(1)</script>")
    assert not INLINE_SCRIPT.search('<script src="/static/x.js"></script>')
    assert STYLE_ATTRIBUTE.search('<div style="color:red">')
    assert EVENT_HANDLER.search('<a onclick="x()">') and EVENT_HANDLER.search('<a hx-on:click="x">')


def test_no_template_has_inline_script_style_attributes_or_event_handlers():
    offences = []
    for path in _templates():
        text = path.read_text(encoding="utf-8")
        for rule in (INLINE_SCRIPT, STYLE_ATTRIBUTE, EVENT_HANDLER):
            for match in rule.finditer(text):
                line = text.count("\n", 0, match.start()) + 1
                offences.append(f"{path.relative_to(settings.BASE_DIR)}:{line}: {match.group(0)}")
    assert offences == []
