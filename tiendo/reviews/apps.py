from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReviewsConfig(AppConfig):
    name = "tiendo.reviews"
    verbose_name = _("Báo cáo sơ kết, tổng kết")
