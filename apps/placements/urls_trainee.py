from django.urls import path

from apps.placements import need_views

app_name = "placement_needs"

urlpatterns = [
    path("<int:pk>/", need_views.trainee_needs, name="trainee_needs"),
    path("<int:pk>/behov/<int:need_pk>/fjern/", need_views.need_remove, name="need_remove"),
    path("<int:pk>/oensker/<int:wish_pk>/fjern/", need_views.wish_remove_view, name="wish_remove"),
]
