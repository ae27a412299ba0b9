from django.urls import path

from submissions import progress_views, views

app_name = "submissions"
urlpatterns = [
    path("", views.scheme_list, name="scheme-list"),
    path("xuat/<str:file_format>/", views.scheme_export, name="scheme-export"),
    path("tao-moi/", views.scheme_create, name="scheme-create"),
    path("<int:pk>/", views.scheme_detail, name="scheme-detail"),
    path("<int:pk>/sua/", views.scheme_edit, name="scheme-edit"),
    path("<int:pk>/chuyen-trang-thai/", views.scheme_transition, name="scheme-transition"),
    path("<int:pk>/tep/", views.attachment_add, name="attachment-add"),
    path(
        "<int:pk>/tep/<int:attachment_pk>/",
        views.attachment_download,
        name="attachment-download",
    ),
    path(
        "<int:pk>/tep/<int:attachment_pk>/go/",
        views.attachment_remove,
        name="attachment-remove",
    ),
    path("<int:pk>/y-kien/", views.comment_add, name="comment-add"),
    path(
        "<int:pk>/bao-cao-tien-do/",
        progress_views.progress_report_add,
        name="progress-report-add",
    ),
]
