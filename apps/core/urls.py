from django.urls import path

from apps.core import views

app_name = "core"

urlpatterns = [
    path("", views.home, name="home"),
    path("eksport/<uuid:pk>/", views.export_job, name="export_job"),
    path("eksport/<uuid:pk>/hent/", views.export_download, name="export_download"),
]
