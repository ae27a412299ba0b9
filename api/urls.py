from django.urls import path, re_path

from api import views
from api.http import not_found

app_name = "api"
urlpatterns = [
    path("summary/", views.summary, name="summary"),
    path("schemes/", views.schemes, name="scheme-list"),
    path("schemes/<str:code>/<int:year>/", views.scheme_detail, name="scheme-detail"),
    path("aggregates/", views.aggregates_view, name="aggregates"),
    path("schema/", views.schema_view, name="schema"),
    path("docs/", views.docs, name="docs"),
    re_path(r"^(?P<rest>.*)$", not_found),
]
