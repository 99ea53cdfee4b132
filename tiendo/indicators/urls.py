from django.urls import path

from tiendo.indicators import views

app_name = "indicators"
urlpatterns = [
    path("chi-tieu/<int:pk>/", views.indicator_detail, name="detail"),
    path("so-lieu/<int:pk>/", views.value_detail, name="value"),
]
