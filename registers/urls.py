from django.urls import path

from registers.views import clusters, events, imports, products

app_name = "registers"
urlpatterns = [
    # Typical rural industrial products.
    path("san-pham-tieu-bieu/", products.product_list, name="product-list"),
    path(
        "san-pham-tieu-bieu/xuat/<str:file_format>/", products.product_export, name="product-export"
    ),
    path("san-pham-tieu-bieu/thong-ke/", products.product_counts_view, name="product-counts"),
    path("san-pham-tieu-bieu/dang-ky/", products.product_register, name="product-register"),
    path("san-pham-tieu-bieu/<int:pk>/", products.product_detail, name="product-detail"),
    path("san-pham-tieu-bieu/<int:pk>/sua/", products.product_edit, name="product-edit"),
    path(
        "san-pham-tieu-bieu/<int:pk>/cong-nhan/", products.product_certify, name="product-certify"
    ),
    path(
        "san-pham-tieu-bieu/<int:pk>/thu-hoi/", products.product_withdraw, name="product-withdraw"
    ),
    path("san-pham-tieu-bieu/<int:pk>/tep/", products.product_file_add, name="product-file-add"),
    path(
        "san-pham-tieu-bieu/<int:pk>/tep/<int:file_pk>/",
        products.product_file_download,
        name="product-file-download",
    ),
    # Public.
    path("danh-muc-san-pham/", products.catalogue, name="catalogue"),
    path(
        "danh-muc-san-pham/xuat/<str:file_format>/",
        products.catalogue_export,
        name="catalogue-export",
    ),
    # Industrial clusters and their planning dossiers.
    path("cum-cong-nghiep/", clusters.cluster_list, name="cluster-list"),
    path("cum-cong-nghiep/xuat/<str:file_format>/", clusters.cluster_export, name="cluster-export"),
    path("cum-cong-nghiep/them/", clusters.cluster_create, name="cluster-create"),
    path("cum-cong-nghiep/<int:pk>/", clusters.cluster_detail, name="cluster-detail"),
    path("cum-cong-nghiep/<int:pk>/sua/", clusters.cluster_edit, name="cluster-edit"),
    path("quy-hoach-cum-cong-nghiep/", clusters.dossier_list, name="dossier-list"),
    path(
        "quy-hoach-cum-cong-nghiep/xuat/<str:file_format>/",
        clusters.dossier_export,
        name="dossier-export",
    ),
    path("quy-hoach-cum-cong-nghiep/gui/", clusters.dossier_create, name="dossier-create"),
    path("quy-hoach-cum-cong-nghiep/<int:pk>/", clusters.dossier_detail, name="dossier-detail"),
    path("quy-hoach-cum-cong-nghiep/<int:pk>/chuyen/", clusters.dossier_move, name="dossier-move"),
    # Import from XLSX, one set of pages per register kept in spreadsheets.
    *[
        path(f"{prefix}/nhap/{suffix}", view, {"kind": kind}, name=f"{name}-{kind}")
        for prefix, kind in (
            ("cum-cong-nghiep", "clusters"),
            ("san-pham-tieu-bieu", "products"),
            ("hoi-cho-hoi-nghi", "events"),
        )
        for suffix, view, name in (
            ("", imports.import_upload, "import"),
            ("mau/", imports.import_template, "import-template"),
            ("xac-nhan/", imports.import_confirm, "import-confirm"),
        )
    ],
    # Fairs and conferences.
    path("hoi-cho-hoi-nghi/", events.event_list, name="event-list"),
    path("hoi-cho-hoi-nghi/xuat/<str:file_format>/", events.event_export, name="event-export"),
    path("hoi-cho-hoi-nghi/lich/", events.event_calendar, name="event-calendar"),
    path("hoi-cho-hoi-nghi/them/", events.event_create, name="event-create"),
    path("hoi-cho-hoi-nghi/<int:pk>/", events.event_detail, name="event-detail"),
    path("hoi-cho-hoi-nghi/<int:pk>/sua/", events.event_edit, name="event-edit"),
    path("hoi-cho-hoi-nghi/<int:pk>/co-so/", events.participant_add, name="participant-add"),
    path(
        "hoi-cho-hoi-nghi/<int:pk>/co-so/<int:participant_pk>/bo/",
        events.participant_remove,
        name="participant-remove",
    ),
]
