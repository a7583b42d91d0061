from django.urls import path

from apps.trainees import quota_views as views

app_name = "quotas"

urlpatterns = [
    path("", views.quota_list, name="quota_list"),
    path("ny/", views.quota_create_view, name="quota_create"),
    path("<int:pk>/ret/", views.quota_update_view, name="quota_update"),
    path("<int:pk>/slet/", views.quota_delete_view, name="quota_delete"),
]
