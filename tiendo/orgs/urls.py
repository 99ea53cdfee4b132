from django.urls import path

from tiendo.orgs import views

app_name = "orgs"
urlpatterns = [
    path("", views.tree, name="tree"),
    path("<int:pk>/", views.unit_detail, name="detail"),
    path("<int:pk>/lich-su/", views.unit_history, name="history"),
    # Quản trị đơn vị: each a GET form and a POST to the same address.
    path("<int:pk>/them-don-vi/", views.unit_create_child, name="create_child"),
    path("<int:pk>/doi-ten/", views.unit_rename, name="rename"),
    path("<int:pk>/chuyen-cap-tren/", views.unit_move, name="move"),
    path("<int:pk>/sap-nhap/", views.unit_merge, name="merge"),
    path("<int:pk>/giai-the-chia-tach/", views.unit_split, name="split"),
    path("<int:pk>/phien-ban/<int:version_pk>/sua/", views.version_correct, name="correct_version"),
]
