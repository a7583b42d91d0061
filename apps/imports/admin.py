"""Read-only admin of import batches for support staff; imports run through the HR pages."""

from django.contrib import admin

from apps.core.admin_site import MunicipalityScopedAdmin
from apps.imports.models import ImportBatch


@admin.register(ImportBatch)
class ImportBatchAdmin(MunicipalityScopedAdmin):
    municipality_path = "municipality"
    list_display = (
        "file_name",
        "municipality",
        "kind",
        "status",
        "created_at",
        "uploaded_by",
        "created_count",
        "updated_count",
        "unchanged_count",
        "rejected_count",
    )
    list_filter = ("kind", "status", "municipality")
    search_fields = ("file_name",)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
