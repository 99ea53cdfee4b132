from django.urls import path

from tiendo.orgs import views

app_name = "orgs"
urlpatterns = [
    path("", views.tree, name="tree"),
    path("<int:pk>/", views.unit_detail, name="detail"),
    path("<int:pk>/lich-su/", views.unit_history, name="history"),
]
