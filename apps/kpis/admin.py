from django.contrib import admin

from apps.core.admin_site import MunicipalityScopedAdmin, ScopedTabularInline
from apps.kpis.goal_status import suggest_goal_statuses
from apps.kpis.models import Indicator, Measurement


class MeasurementInline(ScopedTabularInline):
    municipality_path = "municipality"
    model = Measurement
    extra = 0
    fields = ["period", "value", "numerator", "denominator", "source", "recorded_by", "note"]
    readonly_fields = ["recorded_by"]


@admin.register(Indicator)
class IndicatorAdmin(MunicipalityScopedAdmin):
    municipality_path = "municipality"
    list_display = [
        "name",
        "municipality",
        "metric",
        "programme",
        "department",
        "cohort_year",
        "target_kind",
    ]
    list_filter = ["municipality", "metric", "target_kind"]
    search_fields = ["name"]
    raw_id_fields = ["goals", "focus_area", "department"]
    inlines = [MeasurementInline]

    def save_related(self, request, form, formsets, change):
        """Goal links, targets and measurements may all have changed here: the goals'
        suggested statuses follow (apps.kpis.goal_status)."""
        super().save_related(request, form, formsets, change)
        suggest_goal_statuses(municipality_id=form.instance.municipality_id)
