from django.urls import path

from tiendo.web import views

app_name = "web"
urlpatterns = [
    path("", views.home, name="home"),
    path("tong-quan/", views.dashboard, name="dashboard"),
    path("suc-khoe/", views.health, name="health"),
]
