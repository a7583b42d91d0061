from django.contrib import admin

from apps.core.admin_site import MunicipalityScopedAdmin, ScopedTabularInline
from apps.strategy.models import FocusArea, Goal, Initiative, KkrTheme, StatusUpdate, Strategy


class FocusAreaInline(ScopedTabularInline):
    municipality_path = "strategy__municipality"
    model = FocusArea
    extra = 0
    fields = ["order", "title", "kkr_theme"]


@admin.register(Strategy)
class StrategyAdmin(MunicipalityScopedAdmin):
    municipality_path = "municipality"
    list_display = ["title", "version_label", "municipality", "status", "adopted_on"]
    list_filter = ["status", "municipality"]
    search_fields = ["title", "version_label"]
    readonly_fields = ["version", "created_at", "updated_at"]
    inlines = [FocusAreaInline]


@admin.register(FocusArea)
class FocusAreaAdmin(MunicipalityScopedAdmin):
    municipality_path = "strategy__municipality"
    list_display = ["title", "strategy", "order", "kkr_theme"]
    list_filter = ["strategy__municipality", "kkr_theme"]
    search_fields = ["title"]
    readonly_fields = ["version"]


@admin.register(Goal)
class GoalAdmin(MunicipalityScopedAdmin):
    municipality_path = "focus_area__strategy__municipality"
    list_display = ["__str__", "focus_area", "department", "owner", "follow_up_on", "status"]
    list_filter = ["status", "focus_area__strategy__municipality"]
    search_fields = ["text"]
    list_select_related = ["focus_area", "department", "owner"]
    readonly_fields = ["version"]


@admin.register(Initiative)
class InitiativeAdmin(MunicipalityScopedAdmin):
    municipality_path = "strategy__municipality"
    list_display = ["title", "reference", "strategy", "status", "budget_dkk", "follow_up_on"]
    list_filter = ["status", "strategy__municipality"]
    search_fields = ["title", "reference", "origin"]
    list_select_related = ["strategy"]
    readonly_fields = ["version"]


@admin.register(StatusUpdate)
class StatusUpdateAdmin(MunicipalityScopedAdmin):
    municipality_path = "municipality"
    list_display = ["created_at", "goal", "initiative", "status", "author"]
    list_filter = ["municipality"]
    readonly_fields = ["created_at"]


@admin.register(KkrTheme)
class KkrThemeAdmin(MunicipalityScopedAdmin):
    shared_catalogue = True
    list_display = ["name", "code", "order"]
