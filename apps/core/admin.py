"""The audit trail and the login, two-factor and task records in the admin.

Every ModelAdmin of the portal derives from `MunicipalityScopedAdmin` (apps/core/admin_site.py
holds the rule and the check). Third-party models are registered here as Danish proxies,
scoped through the user they belong to, or left to the platform superuser when they cannot
be scoped (task results, groups).
"""

from axes.admin import AccessAttemptAdmin, AccessFailureLogAdmin, AccessLogAdmin
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib import admin
from django.contrib.admin.options import ActionLocation
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import GroupAdmin as DjangoGroupAdmin
from django.contrib.auth.models import Group
from django.db.models import Q
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_tasks_db.admin import DBTaskResultAdmin
from django_tasks_db.models import DBTaskResult

from apps.core.admin_site import (
    MunicipalityScopedAdmin,
    ScopedStackedInline,
    ScopedTabularInline,
    admin_scope,
)
from apps.core.audit import AuditMask
from apps.core.models import (
    AuditEntry,
    LoginFailure,
    LoginLock,
    LoginLogEntry,
    TaskResult,
    TwoFactorDevice,
)

__all__ = ["MunicipalityScopedAdmin", "ScopedStackedInline", "ScopedTabularInline"]


@admin.register(AuditEntry)
class AuditEntryAdmin(MunicipalityScopedAdmin):
    """Read-only; a municipality's admin sees only their municipality's entries."""

    municipality_path = "municipality_id"
    list_display = ["occurred_at", "actor_label", "role", "action", "object_type", "object_repr"]
    list_filter = ["action", "role"]
    search_fields = ["actor_label", "action", "object_repr", "object_id"]
    date_hierarchy = "occurred_at"
    readonly_fields = [f.name for f in AuditEntry._meta.fields]

    def get_object(self, request, object_id, from_field=None):
        # The change view shows `changes`; mask what the viewer's role may not see.
        entry = super().get_object(request, object_id, from_field)
        if entry is not None:
            AuditMask(getattr(request, "scope", None)).entries([entry])
        return entry

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


for _model in (AccessAttempt, AccessLog, AccessFailureLog, TOTPDevice, DBTaskResult, Group):
    if admin.site.is_registered(_model):
        admin.site.unregister(_model)


class ByUsernameAdmin(MunicipalityScopedAdmin):
    """Login records name a user only by the username typed: a row belongs to the
    municipality of the user with that username; rows of unknown usernames are the
    platform's."""

    def municipality_q(self, municipality_id):
        usernames = (
            get_user_model().objects.filter(municipality_id=municipality_id).values("username")
        )
        return Q(username__in=usernames)

    def municipality_id_of(self, obj):
        return (
            get_user_model()
            .objects.filter(username=obj.username)
            .values_list("municipality_id", flat=True)
            .first()
        )

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def get_actions(self, request, action_location=ActionLocation.CHANGE_LIST):
        actions = super().get_actions(request, action_location=action_location)
        scope = admin_scope(request)
        if scope is None or not scope.all_municipalities:
            # axes' clean-up actions work on every municipality's rows, not the selection.
            actions = {k: v for k, v in actions.items() if k == "delete_selected"}
        return actions


@admin.register(LoginLock)
class LoginLockAdmin(ByUsernameAdmin, AccessAttemptAdmin):
    """Deleting a lock lets the user try again at once."""


@admin.register(LoginLogEntry)
class LoginLogEntryAdmin(ByUsernameAdmin, AccessLogAdmin):
    def has_delete_permission(self, request, obj=None):
        scope = admin_scope(request)
        return scope is not None and scope.all_municipalities


@admin.register(LoginFailure)
class LoginFailureAdmin(ByUsernameAdmin, AccessFailureLogAdmin):
    def has_delete_permission(self, request, obj=None):
        scope = admin_scope(request)
        return scope is not None and scope.all_municipalities


@admin.register(TwoFactorDevice)
class TwoFactorDeviceAdmin(MunicipalityScopedAdmin):
    """Delete a lost phone's device; the user enrols again at next login. The secret key
    and QR code are never shown."""

    municipality_path = "user__municipality"
    list_display = ["user", "name", "confirmed", "created_at", "last_used_at"]
    list_filter = ["confirmed"]
    list_select_related = ["user"]
    search_fields = ["user__username", "user__first_name", "user__last_name", "name"]
    fields = ["user", "name", "confirmed", "created_at", "last_used_at"]
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(TaskResult)
class TaskResultAdmin(MunicipalityScopedAdmin, DBTaskResultAdmin):
    """Task arguments and errors can name any municipality: the operator's view only."""

    platform_only = True

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Group)
class GroupAdmin(MunicipalityScopedAdmin, DjangoGroupAdmin):
    """Groups span municipalities, and the admin's rights follow the portal role anyway."""

    platform_only = True
