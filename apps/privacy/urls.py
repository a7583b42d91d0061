from django.urls import path

from apps.privacy import views

app_name = "privacy"

urlpatterns = [
    path("", views.privacy_index, name="index"),
    path("elev/<int:pk>/opslag/", views.trainee_lookups_view, name="trainee_lookups"),
    path("elev/<int:pk>/indsigt/", views.trainee_access_export, name="trainee_access_export"),
]
