app_name = "supervisors"

urlpatterns: list = []
