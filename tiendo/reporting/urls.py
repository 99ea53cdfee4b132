from django.urls import path

from tiendo.reporting import views

app_name = "reporting"
urlpatterns = [
    path("", views.round_list, name="rounds"),
    path("dot/<int:pk>/", views.round_detail, name="round"),
    path("dot/<int:round_pk>/don-vi/<int:unit_pk>/", views.submission_form, name="form"),
]
