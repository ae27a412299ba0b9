from django.urls import path

from dashboard import views

app_name = "dashboard"
urlpatterns = [
    path("", views.overview, name="overview"),
    path("tinh/<str:map_version>/<str:code>/", views.province_detail, name="province-detail"),
]
