from django.db import models
from django.utils.translation import gettext_lazy as _


class Welcome(models.TextChoices):
    """Følte du dig godt modtaget på dit praktiksted?"""

    HIGH = "high", _("Ja, i høj grad")
    SOME = "some", _("Ja, i nogen grad")
    NOT_REALLY = "not_really", _("Nej, ikke rigtigt")
    NOT_AT_ALL = "not_at_all", _("Nej, slet ikke")


# The answers `placement_welcomed_share` counts as welcomed.
WELCOMED = (Welcome.HIGH, Welcome.SOME)
SATISFACTION_SCALE = range(1, 6)


class LinkState(models.TextChoices):
    """Why a link may not be answered (or that it may)."""

    VALID = "valid", _("Gyldigt")
    FORGED = "forged", _("Ukendt")
    USED = "used", _("Brugt")
    EXPIRED = "expired", _("Udløbet")
