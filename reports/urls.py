from django.urls import path

from reports import views

app_name = "reports"
urlpatterns = [
    path("", views.issue_list, name="issue-list"),
    path("nhan-thu/", views.subscription, name="subscription"),
    path("<int:pk>/trang-thai/", views.issue_status, name="issue-status"),
    path("<int:pk>/tai-ve/<str:file_format>/", views.issue_download, name="issue-download"),
    path("<int:pk>/lap-lai/", views.issue_reissue, name="issue-reissue"),
]
