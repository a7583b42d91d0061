from django.urls import path

from apps.alerts import views

app_name = "alerts"

urlpatterns = [
    path("", views.flag_list, name="flag_list"),
    path("<int:pk>/", views.flag_detail, name="flag_detail"),
    path("indstillinger/", views.settings_update, name="settings"),
]
