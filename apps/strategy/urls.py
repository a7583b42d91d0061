from django.urls import path

from apps.strategy import views

app_name = "strategy"

urlpatterns = [
    path("", views.strategy_list, name="strategy_list"),
    path("ny/", views.strategy_create, name="strategy_create"),
    path("opfoelgning/", views.followup, name="followup"),
    path("<int:pk>/", views.strategy_detail, name="strategy_detail"),
    path("<int:pk>/rediger/", views.strategy_update, name="strategy_update"),
    path("<int:pk>/vedtag/", views.strategy_adopt, name="strategy_adopt"),
    path("<int:pk>/genaabn/", views.strategy_reopen, name="strategy_reopen"),
    path("<int:pk>/arkiver/", views.strategy_archive, name="strategy_archive"),
    path("<int:pk>/ny-version/", views.strategy_copy, name="strategy_copy"),
    path("<int:pk>/indsatsomraader/ny/", views.focus_area_create, name="focus_area_create"),
    path("<int:pk>/indsatser/ny/", views.initiative_create, name="initiative_create"),
    path("indsatsomraader/<int:pk>/", views.focus_area_detail, name="focus_area_detail"),
    path("indsatsomraader/<int:pk>/rediger/", views.focus_area_update, name="focus_area_update"),
    path("indsatsomraader/<int:pk>/maal/ny/", views.goal_create, name="goal_create"),
    path("maal/<int:pk>/", views.goal_detail, name="goal_detail"),
    path("maal/<int:pk>/kort/", views.goal_item, name="goal_item"),
    path("maal/<int:pk>/rediger/", views.goal_update, name="goal_update"),
    path("maal/<int:pk>/flyt/", views.goal_move, name="goal_move"),
    path("maal/<int:pk>/fjern/", views.goal_delete, name="goal_delete"),
    path("maal/<int:pk>/status/", views.goal_status, name="goal_status"),
    path("maal/<int:pk>/paamind/", views.goal_remind, name="goal_remind"),
    path(
        "maal/<int:pk>/bekraeft-forslag/",
        views.goal_suggestion_confirm,
        name="goal_suggestion_confirm",
    ),
    path("maal/<int:pk>/anden-status/", views.goal_status_override, name="goal_status_override"),
    path("indsatser/", views.initiative_list, name="initiative_list"),
    path("indsatser/eksport/", views.initiative_export, name="initiative_export"),
    path("maal/eksport/", views.goal_export, name="goal_export"),
    path("indsatser/<int:pk>/", views.initiative_detail, name="initiative_detail"),
    path("indsatser/<int:pk>/rediger/", views.initiative_update, name="initiative_update"),
    path("indsatser/<int:pk>/status/", views.initiative_status, name="initiative_status"),
    path("indsatser/<int:pk>/paamind/", views.initiative_remind, name="initiative_remind"),
]
