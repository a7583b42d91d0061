from django.contrib import admin

from apps.core.admin_site import MunicipalityScopedAdmin
from apps.placements.models import (
    ManualNeed,
    PlacementWish,
    PlanningSettings,
    WorkplaceCapacity,
)


@admin.register(WorkplaceCapacity)
class WorkplaceCapacityAdmin(MunicipalityScopedAdmin):
    municipality_path = "municipality"
    list_display = ["workplace", "programme", "start_date", "end_date", "places"]
    list_filter = ["programme", "start_date"]
    list_select_related = ["workplace", "programme"]
    raw_id_fields = ["workplace"]
    exclude = ["version"]


@admin.register(PlanningSettings)
class PlanningSettingsAdmin(MunicipalityScopedAdmin):
    municipality_path = "municipality"
    list_display = ["municipality", "supervisor_max_trainees"]
    exclude = ["version"]


@admin.register(ManualNeed)
class ManualNeedAdmin(MunicipalityScopedAdmin):
    municipality_path = "municipality"
    list_display = ["trainee", "start_date", "end_date", "note", "created_by"]
    list_select_related = ["trainee", "created_by"]
    raw_id_fields = ["trainee"]
    readonly_fields = ["created_by"]


@admin.register(PlacementWish)
class PlacementWishAdmin(MunicipalityScopedAdmin):
    municipality_path = "municipality"
    list_display = ["trainee", "rank", "workplace", "created_by"]
    list_select_related = ["trainee", "workplace", "created_by"]
    raw_id_fields = ["trainee", "workplace"]
    readonly_fields = ["created_by"]
