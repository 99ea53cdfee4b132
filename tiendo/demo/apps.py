from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "tiendo.demo"
    verbose_name = "Dữ liệu mẫu Long Biên"
