"""Admin for support staff: supervisors and the qualification catalogue."""

from django.contrib import admin

from apps.core.admin_site import MunicipalityScopedAdmin
from apps.supervisors.models import QualificationLevel, Supervisor


@admin.register(QualificationLevel)
class QualificationLevelAdmin(MunicipalityScopedAdmin):
    shared_catalogue = True
    list_display = ["name", "code", "is_formal", "order"]
    ordering = ["order"]


@admin.register(Supervisor)
class SupervisorAdmin(MunicipalityScopedAdmin):
    """Hand edits are recorded (who, when, old → new) and opening a supervisor is a
    look-up, by the base class."""

    municipality_path = "municipality"
    audit_lookups = True
    list_display = ["name", "hr_id", "workplace", "qualification", "is_active", "municipality"]
    list_filter = ["municipality", "qualification", "is_active"]
    search_fields = ["name", "hr_id"]
    list_select_related = ["workplace", "qualification", "municipality"]
    raw_id_fields = ["workplace"]
    readonly_fields = ["version"]
