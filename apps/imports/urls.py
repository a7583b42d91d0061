from django.urls import path

from apps.imports import quota_views, views

app_name = "imports"

urlpatterns = [
    path("", views.batch_list, name="batch_list"),
    path("dimensionering/", quota_views.quota_upload, name="quota_upload"),
    path("<int:pk>/", views.batch_detail, name="batch_detail"),
    path("<int:pk>/bekraeft/", views.batch_confirm, name="batch_confirm"),
    path("<int:pk>/fortryd/", views.batch_undo, name="batch_undo"),
]
