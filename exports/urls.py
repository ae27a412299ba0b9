from django.urls import path

from exports import views

app_name = "exports"
urlpatterns = [
    path("", views.job_list, name="job-list"),
    path("tao/", views.job_new, name="job-new"),
    path("<int:pk>/", views.job_detail, name="job-detail"),
    path("<int:pk>/tien-do/", views.job_status, name="job-status"),
    path("<int:pk>/tai-ve/", views.job_download, name="job-download"),
]
