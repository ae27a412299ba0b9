from django.urls import path

from budgets import views

app_name = "budgets"
urlpatterns = [
    path("", views.contract_list, name="contract-list"),
    path("xuat/<str:file_format>/", views.contract_export, name="contract-export"),
    path("hop-dong/<int:pk>/", views.contract_ledger, name="contract-ledger"),
    path(
        "hop-dong/<int:pk>/chung-tu/<int:entry_pk>/dao/",
        views.disbursement_reverse_view,
        name="disbursement-reverse",
    ),
]
