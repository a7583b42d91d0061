"""Sections other apps add to the weekly digest, without the strategy app importing them.

The Monday digest (`apps.strategy.reminders`) belongs to the strategy app, but apps further
down the app map have news for the same people (`apps.alerts`: new absence warnings for a
department's leaders). Imports point up the map only, so strategy cannot call them; instead
such an app registers a contributor here from its `AppConfig.ready()`, and the digest asks
every registered contributor once per run.

A contributor is `contributor(*, today) -> {user: DigestSection}`: the users it has news for
(it decides what each may see) and one section each. The digest goes to those users too
when they want reminders (active, an e-mail address, preference "Ugentligt"), and calls each
section's `on_sent` inside the digest's transaction once the mail has gone, so a contributor
can record what it told whom.
"""

from __future__ import annotations

import datetime
import logging
from collections.abc import Callable
from dataclasses import dataclass, field

logger = logging.getLogger(__name__)


@dataclass
class DigestSection:
    heading: str  # translated text
    lines: list[str] = field(default_factory=list)
    on_sent: Callable[[], None] | None = None


_CONTRIBUTORS: list[Callable] = []


def register_digest_contributor(contributor: Callable) -> None:
    """Add a contributor (idempotent: registering the same function twice adds it once)."""
    if contributor not in _CONTRIBUTORS:
        _CONTRIBUTORS.append(contributor)


def unregister_digest_contributor(contributor: Callable) -> None:
    if contributor in _CONTRIBUTORS:
        _CONTRIBUTORS.remove(contributor)


def digest_sections(*, today: datetime.date) -> dict:
    """{user: [DigestSection, …]} from every contributor; one failing contributor is logged
    and left out, so it never stops the reminders."""
    sections: dict = {}
    for contributor in list(_CONTRIBUTORS):
        try:
            found = contributor(today=today)
        except Exception:
            logger.exception("Digest contributor %r failed", contributor)
            continue
        for user, section in found.items():
            sections.setdefault(user, []).append(section)
    return sections
