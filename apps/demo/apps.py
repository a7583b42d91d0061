from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemoConfig(AppConfig):
    """Demo data for development, screenshots and tests (`manage.py load_demo`). It may use
    every app; no other app imports it, so production code never depends on demo data."""

    name = "apps.demo"
    verbose_name = _("Demodata")
