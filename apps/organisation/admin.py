from django.contrib import admin

from apps.core.admin_site import MunicipalityScopedAdmin, ScopedTabularInline, admin_scope
from apps.organisation.models import Department, Municipality, Workplace


class DepartmentInline(ScopedTabularInline):
    municipality_path = "municipality"
    model = Department
    extra = 0
    fields = ["name", "short_name", "order"]


@admin.register(Municipality)
class MunicipalityAdmin(MunicipalityScopedAdmin):
    """A municipality's admin sees and edits their own municipality's settings (retention);
    only the platform adds or removes municipalities or renames them."""

    municipality_path = "pk"
    list_display = ["code", "name", "retention_enabled", "retention_years"]
    search_fields = ["name", "code"]
    inlines = [DepartmentInline]

    def _is_platform(self, request) -> bool:
        scope = admin_scope(request)
        return scope is not None and scope.all_municipalities

    def get_readonly_fields(self, request, obj=None):
        return [] if self._is_platform(request) else ["code", "name"]

    def has_add_permission(self, request):
        return self._is_platform(request)

    def has_delete_permission(self, request, obj=None):
        return self._is_platform(request)


@admin.register(Department)
class DepartmentAdmin(MunicipalityScopedAdmin):
    municipality_path = "municipality"
    list_display = ["name", "short_name", "municipality", "order"]
    list_filter = ["municipality"]
    search_fields = ["name", "short_name"]


@admin.register(Workplace)
class WorkplaceAdmin(MunicipalityScopedAdmin):
    municipality_path = "department__municipality"
    list_display = ["name", "kind", "department"]
    list_filter = ["kind", "department__municipality"]
    search_fields = ["name"]
