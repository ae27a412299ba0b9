from django.urls import path

from dashboard import monitoring_views, views

app_name = "dashboard"
urlpatterns = [
    path("", views.overview, name="overview"),
    path("tinh/<str:map_version>/<str:code>/", views.province_detail, name="province-detail"),
    path("giam-sat/du-bao/", monitoring_views.forecast_detail, name="forecast"),
    path("giam-sat/nhat-quan/", monitoring_views.consistency_detail, name="consistency"),
    path(
        "giam-sat/du-bao/xuat/<str:table>/<str:file_format>/",
        monitoring_views.forecast_export,
        name="forecast-export",
    ),
    path(
        "giam-sat/nhat-quan/xuat/<str:file_format>/",
        monitoring_views.consistency_export,
        name="consistency-export",
    ),
]
