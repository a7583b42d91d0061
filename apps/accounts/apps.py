from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "apps.accounts"
    verbose_name = _("Brugere og roller")

    def ready(self):
        from apps.accounts import checks, signals  # noqa: F401  (connects the receivers)
