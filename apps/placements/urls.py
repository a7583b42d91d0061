from django.urls import path

from apps.placements import views

app_name = "placements"

urlpatterns = [
    path("", views.plan_page, name="plan"),
    path("foreslaa/", views.propose, name="propose"),
    path("udkast/<int:pk>/flyt/<int:trainee_id>/", views.move, name="move"),
    path("udkast/<int:pk>/bekraeft/", views.confirm, name="confirm"),
]
