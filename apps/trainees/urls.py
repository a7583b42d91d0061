app_name = "trainees"

urlpatterns: list = []
