from django.urls import include, path

urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    path("tai-khoan/", include("tiendo.accounts.urls")),
    path("don-vi/", include("tiendo.orgs.urls")),
    path("nhat-ky/", include("tiendo.audit.urls")),
    path("bao-cao/", include("tiendo.reporting.urls")),
    path("nhiem-vu/", include("tiendo.tasks.urls")),
    path("kiem-tra-giam-sat/", include("tiendo.inspections.urls")),
    path("tep/", include("tiendo.attachments.urls")),
    path("bao-cao-tong-hop/", include("tiendo.reviews.urls")),
    # /nghi-quyet/ and /chuong-trinh/; /chi-tieu/ and /so-lieu/
    path("", include("tiendo.plans.urls")),
    path("", include("tiendo.indicators.urls")),
    path("", include("tiendo.web.urls")),
]

handler404 = "tiendo.web.views.not_found"
handler403 = "tiendo.web.views.forbidden"
handler500 = "tiendo.web.views.server_error"
