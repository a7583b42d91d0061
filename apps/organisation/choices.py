from django.db import models
from django.utils.translation import gettext_lazy as _


class WorkplaceKind(models.TextChoices):
    NURSING_HOME = "nursing_home", _("Plejecenter")
    HOME_CARE = "home_care", _("Hjemmepleje")
    HOME_NURSING = "home_nursing", _("Hjemmesygepleje")
    REHABILITATION = "rehabilitation", _("Rehabilitering og træning")
    DAYCARE = "daycare", _("Dagtilbud")
    SCHOOL = "school", _("Skole")
    SOCIAL = "social", _("Bosted og socialområde")
    HEALTH = "health", _("Sundhedsområde")
    ADMINISTRATION = "administration", _("Administration")
    OTHER = "other", _("Andet")
