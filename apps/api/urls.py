from django.urls import path

from apps.api import goals, initiatives, views

app_name = "api"

urlpatterns = [
    path("", views.index, name="index"),
    path("openapi.json", views.openapi, name="openapi"),
    path("indicators/", views.indicator_list, name="indicator_list"),
    path("indicators/<int:pk>/", views.indicator_detail, name="indicator_detail"),
    path("metrics/absence_warnings/", views.absence_warnings, name="absence_warnings"),
    path("quotas/", views.quota_list, name="quota_list"),
    path("metrics/<str:name>/", views.metric, name="metric"),
    path("goals/", goals.goal_list, name="goal_list"),
    path(
        "initiatives/<int:pk>/effect/",
        initiatives.initiative_effect_view,
        name="initiative_effect",
    ),
]
