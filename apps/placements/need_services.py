"""Writes of trainees' placement needs added by hand (`ManualNeed`) and their workplace
wishes (`PlacementWish`): keyword-only, validated with `full_clean()` (Danish messages per
field), one transaction each, audited ("placements.manual_need.added/removed",
"placements.wish.added/removed")."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from apps.core.audit import audit_record
from apps.placements.models import ManualNeed, PlacementWish


def manual_need_add(
    *, trainee, actor, start_date: datetime.date, end_date: datetime.date, note: str
) -> ManualNeed:
    """Add `trainee` by hand to those needing a placement in [start_date, end_date]. A note
    is required; the dates must be in order; the trainee is the municipality's own."""
    need = ManualNeed(
        municipality_id=trainee.municipality_id,
        trainee=trainee,
        start_date=start_date,
        end_date=end_date,
        note=(note or "").strip(),
        created_by=actor if actor is not None and actor.pk else None,
    )
    if start_date and end_date and end_date < start_date:
        raise ValidationError({"end_date": _("Til-datoen må ikke ligge før fra-datoen.")})
    need.full_clean()
    with transaction.atomic():
        need.save()
        audit_record(
            actor=actor,
            action="placements.manual_need.added",
            obj=need,
            changes={
                "start_date": [None, need.start_date],
                "end_date": [None, need.end_date],
                "note": [None, need.note],
            },
        )
    return need


def manual_need_remove(*, need: ManualNeed, actor) -> None:
    """Remove a need added by hand (audited with what it said)."""
    with transaction.atomic():
        audit_record(
            actor=actor,
            action="placements.manual_need.removed",
            obj=need,
            changes={
                "start_date": [need.start_date, None],
                "end_date": [need.end_date, None],
                "note": [need.note, None],
            },
        )
        need.delete()


def wish_add(*, trainee, actor, workplace, rank: int) -> PlacementWish:
    """Record the trainee's wish for `workplace` with priority `rank` (1–3): one workplace
    per rank and one rank per workplace; the workplace must be the municipality's."""
    wish = PlacementWish(
        municipality_id=trainee.municipality_id,
        trainee=trainee,
        workplace=workplace,
        rank=rank,
        created_by=actor if actor is not None and actor.pk else None,
    )
    taken = PlacementWish.objects.filter(trainee_id=trainee.pk)
    errors = {}
    if rank and taken.filter(rank=rank).exists():
        errors["rank"] = _("Eleven har allerede et ønske med denne prioritet.")
    if workplace is not None and taken.filter(workplace_id=workplace.pk).exists():
        errors["workplace"] = _("Eleven har allerede ønsket denne arbejdsplads.")
    if errors:
        raise ValidationError(errors)
    wish.full_clean()
    with transaction.atomic():
        wish.save()
        audit_record(
            actor=actor,
            action="placements.wish.added",
            obj=wish,
            changes={"workplace": [None, workplace.pk], "rank": [None, rank]},
        )
    return wish


def wish_remove(*, wish: PlacementWish, actor) -> None:
    """Remove a wish (audited with its workplace and rank)."""
    with transaction.atomic():
        audit_record(
            actor=actor,
            action="placements.wish.removed",
            obj=wish,
            changes={"workplace": [wish.workplace_id, None], "rank": [wish.rank, None]},
        )
        wish.delete()
