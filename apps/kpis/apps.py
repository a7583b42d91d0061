from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class KpisConfig(AppConfig):
    name = "apps.kpis"
    verbose_name = _("Nøgletal")
