from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AlertsConfig(AppConfig):
    name = "apps.alerts"
    verbose_name = _("Varsler")

    def ready(self):
        from apps.alerts.digest import new_flags_for_digest
        from apps.alerts.receivers import on_import_applied
        from apps.imports.signals import import_applied
        from apps.strategy.digest import register_digest_contributor

        import_applied.connect(on_import_applied, dispatch_uid="alerts.absence_after_import")
        register_digest_contributor(new_flags_for_digest)
