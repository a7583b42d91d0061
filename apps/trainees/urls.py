from django.urls import path

from apps.trainees import views

app_name = "trainees"

urlpatterns = [
    path("", views.trainee_list_view, name="trainee_list"),
    path("eksport/", views.trainee_export, name="trainee_export"),
    path("<int:pk>/", views.trainee_detail, name="trainee_detail"),
    path("<int:pk>/ret/", views.trainee_update_view, name="trainee_update"),
]
