"""API tokens in the Django admin: issued by an admin; the token is shown once, then only its
hash is kept."""

from django.contrib import admin, messages
from django.utils.translation import gettext as _

from apps.api.models import ApiToken
from apps.core.admin_site import MunicipalityScopedAdmin


@admin.register(ApiToken)
class ApiTokenAdmin(MunicipalityScopedAdmin):
    municipality_path = "user__municipality"
    list_display = [
        "name",
        "user",
        "prefix",
        "created_at",
        "expires_at",
        "last_used_at",
        "revoked_at",
    ]
    list_filter = ["revoked_at"]
    list_select_related = ["user"]
    search_fields = ["name", "user__username", "prefix"]
    readonly_fields = ["prefix", "created_at", "expires_at", "last_used_at"]
    fields = ["user", "name", "prefix", "created_at", "expires_at", "last_used_at", "revoked_at"]
    autocomplete_fields = ["user"]

    def save_model(self, request, obj, form, change):
        raw = None if change else obj.assign_new_key()
        super().save_model(request, obj, form, change)
        if raw:
            messages.warning(
                request,
                _("Kopiér API-nøglen nu; den vises kun denne ene gang: %(token)s") % {"token": raw},
            )
