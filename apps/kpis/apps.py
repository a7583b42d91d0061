from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class KpisConfig(AppConfig):
    name = "apps.kpis"
    verbose_name = _("Nøgletal")

    def ready(self):
        from apps.imports.signals import import_applied
        from apps.kpis.receivers import on_import_applied

        import_applied.connect(on_import_applied, dispatch_uid="kpis.recompute_after_import")
        from apps.trainees.signals import quotas_changed

        quotas_changed.connect(on_import_applied, dispatch_uid="kpis.recompute_after_quotas")
