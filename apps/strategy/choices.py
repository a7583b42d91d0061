from django.db import models
from django.utils.translation import gettext_lazy as _


class StrategyStatus(models.TextChoices):
    DRAFT = "draft", _("Udkast")
    ADOPTED = "adopted", _("Vedtaget")
    ARCHIVED = "archived", _("Arkiveret")


class GoalStatus(models.TextChoices):
    NOT_STARTED = "not_started", _("Ikke startet")
    IN_PROGRESS = "in_progress", _("I gang")
    ON_TRACK = "on_track", _("På sporet")
    BEHIND = "behind", _("Bagud")
    ACHIEVED = "achieved", _("Nået")
    NOT_ACHIEVED = "not_achieved", _("Ikke nået")


class SuggestedStatus(models.TextChoices):
    """What a goal's linked indicators suggest (the values of apps.kpis TrackStatus)."""

    ACHIEVED = "achieved", _("Nået")
    ON_TRACK = "on_track", _("På sporet")
    BEHIND = "behind", _("Bagud")
    NO_DATA = "no_data", _("Ingen data")


# A suggestion the owner can confirm, and the goal status confirming it sets ("ingen data" is
# no suggestion of a status).
SUGGESTED_GOAL_STATUS = {
    SuggestedStatus.ACHIEVED: GoalStatus.ACHIEVED,
    SuggestedStatus.ON_TRACK: GoalStatus.ON_TRACK,
    SuggestedStatus.BEHIND: GoalStatus.BEHIND,
}


class InitiativeStatus(models.TextChoices):
    """The documents' own labels (Albertslund's potentialer, Frederikssund's Bilag 1)."""

    IDEA = "idea", _("Idé")
    PROPOSAL = "proposal", _("Forslag")
    PLANNED = "planned", _("Planlagt")
    AWAITING = "awaiting", _("Afventer")
    IN_PROGRESS = "in_progress", _("På vej")
    PARTIALLY_IMPLEMENTED = "partially_implemented", _("Delvist implementeret")
    IMPLEMENTED = "implemented", _("Implementeret")
    NOT_IMPLEMENTED = "not_implemented", _("Ikke implementeret")
