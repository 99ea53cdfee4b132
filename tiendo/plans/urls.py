from django.urls import path

from tiendo.plans import views

app_name = "plans"
urlpatterns = [
    path("nghi-quyet/", views.resolution_list, name="resolutions"),
    path("nghi-quyet/<int:pk>/", views.resolution_detail, name="resolution"),
    path("chuong-trinh/<int:pk>/", views.program_detail, name="program"),
]
