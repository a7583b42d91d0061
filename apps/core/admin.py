"""The audit trail in the admin: read-only, and only the admin's own municipality."""

from django.contrib import admin

from apps.core.audit import AuditMask
from apps.core.models import AuditEntry


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    list_display = ["occurred_at", "actor_label", "role", "action", "object_type", "object_repr"]
    list_filter = ["action", "role"]
    search_fields = ["actor_label", "action", "object_repr", "object_id"]
    date_hierarchy = "occurred_at"
    readonly_fields = [f.name for f in AuditEntry._meta.fields]

    def get_queryset(self, request):
        qs = super().get_queryset(request)
        scope = getattr(request, "scope", None)
        if scope is None:
            return qs.none()
        if scope.all_municipalities:
            return qs
        return qs.filter(municipality_id=scope.municipality_id)

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
