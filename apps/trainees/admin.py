"""Admin for support staff: trainees, their placements and absence, quotas and catalogues."""

from django.contrib import admin

from apps.core.admin_site import MunicipalityScopedAdmin, ScopedTabularInline
from apps.trainees.models import (
    Absence,
    DropoutReason,
    IntakeQuota,
    Phase,
    Placement,
    Programme,
    ProgrammePlacementStep,
    Trainee,
)
from apps.trainees.services import EDITABLE_FIELDS, trainee_update


@admin.register(Programme)
class ProgrammeAdmin(MunicipalityScopedAdmin):
    shared_catalogue = True
    list_display = ["code", "name", "order"]
    search_fields = ["code", "name"]


@admin.register(DropoutReason)
class DropoutReasonAdmin(MunicipalityScopedAdmin):
    shared_catalogue = True
    list_display = ["name", "code", "is_health_related", "order"]


@admin.register(Phase)
class PhaseAdmin(MunicipalityScopedAdmin):
    shared_catalogue = True
    list_display = ["name", "code", "kind", "number", "order"]


@admin.register(IntakeQuota)
class IntakeQuotaAdmin(MunicipalityScopedAdmin):
    municipality_path = "municipality"
    list_display = ["programme", "year", "department", "minimum", "maximum", "municipality"]
    list_filter = ["municipality", "programme", "year"]
    list_select_related = ["programme", "municipality", "department"]
    exclude = ["version"]


class PlacementInline(ScopedTabularInline):
    municipality_path = "municipality"
    model = Placement
    extra = 0
    raw_id_fields = ["workplace", "supervisor"]


@admin.register(Trainee)
class TraineeAdmin(MunicipalityScopedAdmin):
    municipality_path = "municipality"
    audit_lookups = True
    list_display = ["hr_id", "full_name", "programme", "department", "start_date", "status"]
    list_filter = ["municipality", "programme", "status", "start_year"]
    search_fields = ["hr_id", "first_name", "last_name"]
    list_select_related = ["programme", "department"]
    raw_id_fields = ["department", "hired_into_department", "hired_into_workplace"]
    readonly_fields = ["version"]
    inlines = [PlacementInline]

    def get_readonly_fields(self, request, obj=None):
        # The HR id and municipality are the import's key: never changed by hand.
        return ["version", "municipality", "hr_id"] if obj else ["version"]

    def save_model(self, request, obj, form, change):
        """Corrections go through `trainee_update` (validation, version, audit)."""
        if not change:
            super().save_model(request, obj, form, change)  # audited by the base class
            return
        data = {name: form.cleaned_data[name] for name in form.changed_data}
        trainee_update(
            trainee=obj,
            actor=request.user,
            data={k: v for k, v in data.items() if k in EDITABLE_FIELDS},
            expected_version=obj.version,
        )


@admin.register(Placement)
class PlacementAdmin(MunicipalityScopedAdmin):
    municipality_path = "municipality"
    list_display = ["trainee", "kind", "period_number", "workplace", "supervisor", "start_date"]
    list_filter = ["municipality", "kind"]
    list_select_related = ["trainee", "workplace", "supervisor"]
    raw_id_fields = ["trainee", "workplace", "supervisor"]


@admin.register(Absence)
class AbsenceAdmin(MunicipalityScopedAdmin):
    municipality_path = "municipality"
    list_display = ["trainee", "month", "sick_days", "planned_days"]
    list_filter = ["municipality", "year"]
    list_select_related = ["trainee"]
    raw_id_fields = ["trainee"]


@admin.register(ProgrammePlacementStep)
class ProgrammePlacementStepAdmin(MunicipalityScopedAdmin):
    shared_catalogue = True
    list_display = ["programme", "kind", "number", "name", "typical_weeks"]
    list_filter = ["programme", "kind"]
    list_select_related = ["programme"]
