"""Users in the admin: a municipality's admin manages its own users only, and can neither
make anyone a superuser nor move a user to another municipality."""

from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from apps.accounts.models import User
from apps.core.admin_site import MunicipalityScopedAdmin, admin_scope

# Fields only the platform superuser sets: they reach beyond one municipality (groups and
# Django permissions play no part in the portal's rights, which follow the role).
PLATFORM_FIELDS = ("is_superuser", "groups", "user_permissions")


@admin.register(User)
class UserAdmin(MunicipalityScopedAdmin, DjangoUserAdmin):
    municipality_path = "municipality"
    list_display = ["username", "first_name", "last_name", "role", "municipality", "is_active"]
    list_filter = ["role", "municipality", "is_active"]
    filter_horizontal = ["departments", "groups", "user_permissions"]
    fieldsets = [
        *DjangoUserAdmin.fieldsets,
        (_("Rolle i portalen"), {"fields": ["role", "municipality", "departments"]}),
    ]
    add_fieldsets = [
        *DjangoUserAdmin.add_fieldsets,
        (_("Rolle i portalen"), {"fields": ["role", "municipality", "departments"]}),
    ]

    def _is_platform(self, request) -> bool:
        scope = admin_scope(request)
        return scope is not None and scope.all_municipalities

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if self._is_platform(request):
            return fieldsets
        return [
            (name, {**opts, "fields": [f for f in opts["fields"] if f not in PLATFORM_FIELDS]})
            for name, opts in fieldsets
        ]

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        if not self._is_platform(request) and "municipality" in form.base_fields:
            # The choice list holds the admin's own municipality only; it cannot be emptied
            # either, which would make the user look like the platform's.
            field = form.base_fields["municipality"]
            field.required = True
            field.empty_label = None
        return form

    def user_change_password(self, request, id, form_url=""):
        response = super().user_change_password(request, id, form_url)
        if request.method == "POST" and response.status_code == 302:
            user = User.objects.get(pk=unquote(id))
            self._audit(request, user, "password_set")
        return response
