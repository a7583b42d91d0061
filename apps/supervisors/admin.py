"""Admin for support staff: supervisors and the qualification catalogue."""

from django.contrib import admin
from django.db import transaction

from apps.core.audit import audit_record, model_changes, snapshot
from apps.supervisors.models import QualificationLevel, Supervisor


@admin.register(QualificationLevel)
class QualificationLevelAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "is_formal", "order"]
    ordering = ["order"]


@admin.register(Supervisor)
class SupervisorAdmin(admin.ModelAdmin):
    list_display = ["name", "hr_id", "workplace", "qualification", "is_active", "municipality"]
    list_filter = ["municipality", "qualification", "is_active"]
    search_fields = ["name", "hr_id"]
    list_select_related = ["workplace", "qualification", "municipality"]
    raw_id_fields = ["workplace"]
    readonly_fields = ["version"]

    def save_model(self, request, obj, form, change):
        """Hand edits are recorded like every other change: who, when, old → new."""
        with transaction.atomic():
            fields = form.changed_data
            before = snapshot(Supervisor.objects.get(pk=obj.pk), fields) if change else {}
            changes = model_changes(before, snapshot(obj, fields))
            if change:
                obj.version += 1
            super().save_model(request, obj, form, change)
            action = (
                "supervisors.supervisor.updated" if change else "supervisors.supervisor.created"
            )
            audit_record(actor=request.user, action=action, obj=obj, changes=changes)
