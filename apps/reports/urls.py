from django.urls import path

from apps.reports import views

app_name = "reports"

urlpatterns = [
    path("strategi/<int:pk>/statusrapport/", views.strategy_report, name="strategy_report"),
]
