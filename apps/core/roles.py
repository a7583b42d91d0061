"""The portal's roles (DOMAIN.md, "Who uses it")."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    COORDINATOR = "coordinator", _("Uddannelseskonsulent")
    LEADER = "leader", _("Leder")
    HR = "hr", _("HR")
    KKR_ANALYST = "kkr", _("KKR-analytiker")
    ADMIN = "admin", _("Systemadministrator")
