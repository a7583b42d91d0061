from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from apps.accounts.models import User


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
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
