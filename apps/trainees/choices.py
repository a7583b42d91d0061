from django.db import models
from django.utils.translation import gettext_lazy as _


class TraineeStatus(models.TextChoices):
    ACTIVE = "active", _("Aktiv")
    COMPLETED = "completed", _("Gennemført")
    DROPPED_OUT = "dropped_out", _("Afbrudt")
    LEAVE = "leave", _("Orlov")


class Recruitment(models.TextChoices):
    EXTERNAL = "external", _("Ekstern")
    INTERNAL_UNSKILLED = "internal_unskilled", _("Intern ufaglært")
    INTERNAL_SSH = "internal_ssh", _("Intern SSH")


class AgeBand(models.TextChoices):
    UNDER_20 = "u20", _("Under 20 år")
    FROM_20_TO_24 = "20-24", _("20-24 år")
    FROM_25_TO_29 = "25-29", _("25-29 år")
    FROM_30_TO_39 = "30-39", _("30-39 år")
    FROM_40_TO_49 = "40-49", _("40-49 år")
    FROM_50 = "50+", _("50 år og derover")

    @classmethod
    def for_age(cls, age: int) -> "AgeBand":
        if age < 20:
            return cls.UNDER_20
        if age < 25:
            return cls.FROM_20_TO_24
        if age < 30:
            return cls.FROM_25_TO_29
        if age < 40:
            return cls.FROM_30_TO_39
        if age < 50:
            return cls.FROM_40_TO_49
        return cls.FROM_50


class PlacementKind(models.TextChoices):
    TRAINING = "training", _("Oplæring")
    SCHOOL = "school", _("Skole")


class PhaseKind(models.TextChoices):
    BASIC = "basic", _("Grundforløb")
    TRAINING = "training", _("Oplæringsperiode")
    SCHOOL = "school", _("Skoleperiode")
