from django.urls import path

from tiendo.reporting import dataset_views, file_views, notification_views, schedule_views, views

app_name = "reporting"
urlpatterns = [
    path("", views.round_list, name="rounds"),
    path("dot/<int:pk>/", views.round_detail, name="round"),
    path("dot/<int:round_pk>/don-vi/<int:unit_pk>/", views.submission_form, name="form"),
    # Excel and CSV data entry (file_views)
    path("dot/<int:round_pk>/don-vi/<int:unit_pk>/mau.xlsx", file_views.unit_template, name="template"),
    path("dot/<int:round_pk>/mau.xlsx", file_views.round_template, name="round_template"),
    path("dot/<int:round_pk>/tai-len/", file_views.upload, name="upload"),
    # Reminders, notifications, schedules, timeliness, job runs
    path("dot/<int:pk>/nhac-nho/", notification_views.remind, name="remind"),
    path("thong-bao/", notification_views.notification_list, name="notifications"),
    path("thong-bao/da-doc/", notification_views.notification_mark_read, name="notifications_read"),
    path("thong-bao/<int:pk>/", notification_views.notification_open, name="notification"),
    path("lich/", schedule_views.schedule_list, name="schedules"),
    path("lich/moi/", schedule_views.schedule_edit, name="schedule_create"),
    path("lich/<int:pk>/sua/", schedule_views.schedule_edit, name="schedule_edit"),
    path("lich/mo-dot/", schedule_views.round_open, name="round_open"),
    path("don-vi/<int:unit_pk>/dung-han/", schedule_views.unit_timeliness, name="unit_timeliness"),
    path("tac-vu/", schedule_views.job_runs, name="jobs"),
    # Data sets and their validation rules (dataset_views)
    path("bo-chi-tieu/", dataset_views.data_set_list, name="data_sets"),
    path("bo-chi-tieu/moi/", dataset_views.data_set_edit, name="data_set_create"),
    path("bo-chi-tieu/<int:pk>/", dataset_views.data_set_detail, name="data_set"),
    path("bo-chi-tieu/<int:pk>/sua/", dataset_views.data_set_edit, name="data_set_edit"),
    path("bo-chi-tieu/<int:pk>/chi-tieu/", dataset_views.data_set_items, name="data_set_items"),
    path("bo-chi-tieu/<int:pk>/quy-tac/", dataset_views.data_set_rules, name="data_set_rules"),
    path("bo-chi-tieu/<int:pk>/quy-tac/<int:rule_pk>/sua/", dataset_views.rule_edit, name="data_set_rule_edit"),
    path("bo-chi-tieu/<int:pk>/quy-tac/<int:rule_pk>/ap-dung/", dataset_views.rule_toggle, name="data_set_rule_toggle"),
]
