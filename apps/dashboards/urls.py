from django.urls import path

from apps.dashboards import views

app_name = "dashboards"

urlpatterns = [
    path("", views.municipality_overview, name="municipality_overview"),
    path("fagomraade/", views.department_default, name="department_default"),
    path("fagomraade/<int:pk>/", views.department, name="department"),
    path("kommuner/", views.kkr_overview, name="kkr_overview"),
    path("kommuner/eksport/", views.kkr_export, name="kkr_export"),
]
