from django.urls import path

from tiendo.reviews import views

app_name = "reviews"
urlpatterns = [
    path("", views.review_list, name="list"),
    path("tao/", views.review_create, name="create"),
    path("<int:pk>/", views.review_detail, name="detail"),
    path("<int:pk>/noi-dung/", views.review_text, name="text"),
    path("<int:pk>/viet-lai/", views.review_regenerate, name="regenerate"),
    path("<int:pk>/xuat/", views.review_export, name="export"),
    path("tep/<int:pk>/", views.export_status, name="export_status"),
    path("tep/<int:pk>/tai-ve/", views.export_download, name="download"),
]
