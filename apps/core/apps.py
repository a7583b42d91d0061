from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _sync_audit_retention(sender, using="default", **kwargs):
    from apps.core.audit import audit_retention_sync

    audit_retention_sync(using=using)


class CoreConfig(AppConfig):
    name = "apps.core"
    verbose_name = _("Log og sikkerhed")

    def ready(self):
        # Every `migrate` (run by the owning role) installs the configured look-up retention
        # in the database, which the purge function enforces.
        post_migrate.connect(_sync_audit_retention, sender=self)
