from django.urls import path

from tiendo.tasks import views

app_name = "tasks"
urlpatterns = [
    path("", views.my_tasks, name="mine"),
    path("danh-sach/", views.task_list, name="list"),
    path("theo-don-vi/", views.by_unit, name="by_unit"),
    path("qua-han/", views.overdue, name="overdue"),
    path("moi/", views.task_create, name="create"),
    path("van-ban/moi/", views.directive_create, name="directive_create"),
    path("van-ban/<int:pk>/", views.directive_detail, name="directive"),
    path("<int:pk>/", views.task_detail, name="detail"),
    path("<int:pk>/chia/", views.task_split, name="split"),
]
