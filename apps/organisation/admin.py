from django.contrib import admin

from apps.organisation.models import Department, Municipality, Workplace


class DepartmentInline(admin.TabularInline):
    model = Department
    extra = 0
    fields = ["name", "short_name", "order"]


@admin.register(Municipality)
class MunicipalityAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "retention_enabled", "retention_years"]
    search_fields = ["name", "code"]
    inlines = [DepartmentInline]


@admin.register(Department)
class DepartmentAdmin(admin.ModelAdmin):
    list_display = ["name", "short_name", "municipality", "order"]
    list_filter = ["municipality"]
    search_fields = ["name", "short_name"]


@admin.register(Workplace)
class WorkplaceAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "department"]
    list_filter = ["kind", "department__municipality"]
    search_fields = ["name"]
