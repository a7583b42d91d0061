"""Deployment checks of the login configuration (run by `manage.py check --deploy`)."""

from django.conf import settings
from django.core.checks import Tags, Warning, register


@register(Tags.security, deploy=True)
def insecure_local_http_check(app_configs, **kwargs):
    """INSECURE_LOCAL_HTTP turns off the transport protections: never in production."""
    if getattr(settings, "INSECURE_LOCAL_HTTP", False):
        return [
            Warning(
                "INSECURE_LOCAL_HTTP is on: session and CSRF cookies are sent over plain http "
                "and HTTPS is not enforced.",
                hint="Only for trying the portal on this machine; remove it in production.",
                id="accounts.W001",
            )
        ]
    return []
