from django.urls import path

from imports import views

app_name = "imports"

urlpatterns = [
    path("", views.import_home, name="home"),
    path("mau/<slug:kind>/", views.import_template, name="template"),
    path("<int:pk>/", views.batch_detail, name="batch-detail"),
    path("<int:pk>/tien-do/", views.batch_progress, name="batch-progress"),
    path("<int:pk>/xac-nhan/", views.batch_confirm, name="batch-confirm"),
    path("<int:pk>/hoan-tac/", views.batch_undo, name="batch-undo"),
]
