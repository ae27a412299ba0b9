from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from api.page_urls import opendata_patterns, token_patterns
from core.views import favicon, healthz

admin.site.site_header = _("Quản lý khuyến công – Bộ Công Thương")
admin.site.site_title = _("Khuyến công")
admin.site.index_title = _("Quản trị")

urlpatterns = [
    # Browsers ask for /favicon.ico on pages that name no icon (the admin's).
    path("favicon.ico", favicon),
    path("", include("dashboard.urls")),
    path("de-an/", include("projects.urls")),
    path("ho-so/", include("submissions.urls")),
    path("ho-so/", include("adjustments.urls")),
    path("tai-chinh/", include("budgets.urls")),
    path("hop-thu/", include("notifications.urls")),
    path("xuat-du-lieu/", include("exports.urls")),
    path("bao-cao/", include("reports.urls")),
    path("", include("registers.urls")),
    path("nhap-du-lieu/", include("imports.urls")),
    path("healthz", healthz, name="healthz"),
    path("api/v1/", include("api.urls")),
    path("du-lieu-mo/", include(opendata_patterns)),
    path("tai-khoan/khoa-api/", include(token_patterns)),
    path("dang-nhap/", auth_views.LoginView.as_view(), name="login"),
    path("dang-xuat/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
]
