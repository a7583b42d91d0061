from django.urls import path

from apps.supervisors import views

app_name = "supervisors"

urlpatterns = [
    path("", views.supervisor_list_view, name="supervisor_list"),
    path("eksport/", views.supervisor_export, name="supervisor_export"),
    path("<int:pk>/", views.supervisor_detail, name="supervisor_detail"),
]
