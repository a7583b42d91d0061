from django.urls import path, re_path

from apps.privacy import views

app_name = "privacy"

KIND = r"(?P<kind>elev|vejleder)"

urlpatterns = [
    path("", views.privacy_index, name="index"),
    re_path(rf"^{KIND}/(?P<pk>[0-9]+)/opslag/$", views.person_lookups, name="person_lookups"),
    re_path(
        rf"^{KIND}/(?P<pk>[0-9]+)/indsigt/$",
        views.person_access_export,
        name="person_access_export",
    ),
]
