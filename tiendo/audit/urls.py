from django.urls import path

from tiendo.audit import views

app_name = "audit"
urlpatterns = [
    path("", views.recent, name="recent"),
]
