from django.urls import path

from adjustments import views

app_name = "adjustments"
urlpatterns = [
    path("<int:pk>/dieu-chinh/", views.request_page, name="request-page"),
    path(
        "<int:pk>/dieu-chinh/<int:request_pk>/quyet-dinh/",
        views.request_decide,
        name="request-decide",
    ),
    path(
        "<int:pk>/dieu-chinh/<int:request_pk>/rut/",
        views.request_withdraw,
        name="request-withdraw",
    ),
]
