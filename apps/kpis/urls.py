from django.urls import path

from apps.kpis import goal_views, views

app_name = "kpis"

urlpatterns = [
    path("", views.indicator_list, name="indicator_list"),
    path("nyt/", views.indicator_create, name="indicator_create"),
    path("<int:pk>/slet/", views.indicator_delete, name="indicator_delete"),
    path("eksport/", views.indicator_export, name="indicator_export"),
    path("<int:pk>/", views.indicator_detail, name="indicator_detail"),
    path("<int:pk>/ret/", views.indicator_update, name="indicator_update"),
    path("maaling/<int:pk>/ret/", views.measurement_update, name="measurement_update"),
    path(
        "maal/<int:goal_pk>/tilknyt/",
        goal_views.goal_indicator_link_view,
        name="goal_indicator_link",
    ),
    path(
        "maal/<int:goal_pk>/fjern/<int:pk>/",
        goal_views.goal_indicator_unlink_view,
        name="goal_indicator_unlink",
    ),
]
