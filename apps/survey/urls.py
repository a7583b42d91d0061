from django.urls import path

from apps.survey import views

app_name = "survey"

urlpatterns = [
    path("", views.results, name="results"),
    path("links/", views.link_sheet, name="link_sheet"),
    # Public: the trainee's personal link, without login (the token is the only key).
    path("svar/<str:token>/", views.respond, name="respond"),
    path("tak/", views.thanks, name="thanks"),
]
