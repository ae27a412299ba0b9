from django.urls import path

from projects import views

app_name = "projects"
urlpatterns = [
    path("", views.scheme_list, name="scheme-list"),
    path("xuat/<str:file_format>/", views.scheme_export, name="scheme-export"),
    path("<int:pk>/", views.scheme_detail, name="scheme-detail"),
]
