from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class DashboardsConfig(AppConfig):
    name = "apps.dashboards"
    verbose_name = _("Overblik")

    def ready(self):
        from apps.dashboards.freshness import install_triggers

        post_migrate.connect(install_triggers, sender=self, dispatch_uid="dashboards.triggers")
