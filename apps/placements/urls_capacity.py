from django.urls import path

from apps.placements import capacity_views as views

app_name = "capacity"

urlpatterns = [
    path("", views.capacity_list, name="capacity_list"),
    path("ny/", views.capacity_create_view, name="capacity_create"),
    path("<int:pk>/ret/", views.capacity_update_view, name="capacity_update"),
    path("<int:pk>/slet/", views.capacity_delete_view, name="capacity_delete"),
    path("indstillinger/", views.capacity_settings, name="settings"),
    path("vejledere/", views.supervisor_max_list, name="supervisors"),
    path("vejledere/<int:pk>/", views.supervisor_max_update, name="supervisor_update"),
]
