from django.urls import path

from tiendo.inspections import views

app_name = "inspections"
urlpatterns = [
    path("", views.inspection_list, name="list"),
    path("moi/", views.inspection_create, name="create"),
    path("ke-hoach/moi/", views.plan_create, name="plan_create"),
    path("ke-hoach/<int:pk>/", views.plan_detail, name="plan"),
    path("<int:pk>/", views.inspection_detail, name="detail"),
]
