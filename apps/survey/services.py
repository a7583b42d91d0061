"""Writes of the placement survey: issuing single-use links, and storing an answer.

An answer is anonymous, so it is not audited (an audit entry would tie it to a time and a
request) and it carries nothing of the link or the placement it came from but the
placement's workplace, department, programme and the year and month it ended. The link is
marked used in the same transaction, without a time of use.
"""

from __future__ import annotations

import datetime
import hashlib
import secrets
from collections.abc import Iterable

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from apps.core.audit import audit_record
from apps.core.scoping import all_municipalities
from apps.survey.choices import LinkState
from apps.survey.models import SurveyAnswer, SurveyLink
from apps.trainees.choices import PlacementKind

TOKEN_BYTES = 24  # 192 random bits: 32 URL-safe characters
TOKEN_MAX_LENGTH = 64  # anything longer is not one of ours and is not even hashed


class LinkRefused(Exception):
    """The link may not be answered: forged (unknown), used or expired."""

    def __init__(self, state: str):
        super().__init__(state)
        self.state = state


def survey_url(token: str) -> str:
    """The absolute address of the survey for `token` (printed sheets, the CLI, e-mails)."""
    return settings.PORTAL_BASE_URL + reverse("survey:respond", args=[token])


def token_hash(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def eligible_placements(placements, *, today: datetime.date, ended_from=None, ended_to=None):
    """Training placements at a workplace that have ended by `today` (in the optional range)
    and whose survey has not been answered."""
    qs = placements.filter(
        kind=PlacementKind.TRAINING, workplace__isnull=False, end_date__lte=today
    ).exclude(survey_link__used=True)
    if ended_from:
        qs = qs.filter(end_date__gte=ended_from)
    if ended_to:
        qs = qs.filter(end_date__lte=ended_to)
    return qs


def links_issue(
    *, placements: Iterable, actor=None, now: datetime.datetime | None = None
) -> list[tuple[object, str]]:
    """A fresh single-use token for each placement whose survey is unanswered: [(placement,
    token)]. The token itself is returned once and stored only as its hash; issuing again
    replaces an unused link (the old one stops working), an answered one is left alone."""
    now = now or timezone.now()
    placements = list(placements)
    with transaction.atomic():
        existing = {
            link.placement_id: link
            for link in SurveyLink.objects.select_for_update().filter(
                placement_id__in=[p.pk for p in placements]
            )
        }
        issued, to_create, to_update = [], [], []
        for placement in placements:
            link = existing.get(placement.pk)
            if link is not None and link.used:
                continue
            raw = secrets.token_urlsafe(TOKEN_BYTES)
            if link is None:
                link = SurveyLink(
                    municipality_id=placement.municipality_id, placement=placement, issued_at=now
                )
                to_create.append(link)
            else:
                to_update.append(link)
            link.token_hash = token_hash(raw)
            link.issued_at = now
            link.full_clean(exclude=["placement", "token_hash"])
            issued.append((placement, raw))
        SurveyLink.objects.bulk_create(to_create)
        SurveyLink.objects.bulk_update(to_update, ["token_hash", "issued_at"])
        for municipality_id in sorted({p.municipality_id for p, _raw in issued}):
            audit_record(
                actor=actor,
                action="survey.links.issued",
                municipality_id=municipality_id,
                changes={
                    "placements": [
                        None,
                        [p.pk for p, _raw in issued if p.municipality_id == municipality_id],
                    ]
                },
            )
    return issued


def _link(raw: str | None, *, for_update: bool = False) -> SurveyLink | None:
    if not raw or len(raw) > TOKEN_MAX_LENGTH:
        return None
    # The respondent has no login and so no municipality in scope: the secret token is the
    # only key, and it finds at most its own link.
    with all_municipalities():
        qs = SurveyLink.objects.select_related("placement__trainee", "placement__workplace").filter(
            token_hash=token_hash(raw)
        )
        if for_update:
            qs = qs.select_for_update(of=("self",))
        return qs.first()


def link_state(link: SurveyLink | None, *, now: datetime.datetime | None = None) -> str:
    if link is None:
        return LinkState.FORGED
    if link.used:
        return LinkState.USED
    if link.expired(now or timezone.now()):
        return LinkState.EXPIRED
    return LinkState.VALID


def link_check(raw: str | None, *, now: datetime.datetime | None = None) -> str:
    """The state of the link with token `raw` (for showing the form or the refusal)."""
    return link_state(_link(raw), now=now)


def answer_submit(
    *,
    raw_token: str,
    welcomed: str,
    had_supervisor: bool,
    guidance_satisfaction: int,
    comment: str = "",
    now: datetime.datetime | None = None,
) -> SurveyAnswer:
    """Store one anonymous answer and mark the link used, or raise `LinkRefused` (forged,
    used, expired) having stored nothing."""
    now = now or timezone.now()
    with transaction.atomic():
        link = _link(raw_token, for_update=True)
        state = link_state(link, now=now)
        if state != LinkState.VALID:
            raise LinkRefused(state)
        placement = link.placement
        answer = SurveyAnswer(
            municipality_id=link.municipality_id,
            workplace_id=placement.workplace_id,
            department_id=placement.workplace.department_id,
            programme_id=placement.trainee.programme_id,
            period_year=placement.end_date.year,
            period_month=placement.end_date.month,
            welcomed=welcomed,
            had_supervisor=had_supervisor,
            guidance_satisfaction=guidance_satisfaction,
            comment=comment.strip(),
            answered_on=timezone.localdate(now),
        )
        answer.full_clean()
        answer.save()
        link.used = True
        link.save(update_fields=["used"])
    return answer
