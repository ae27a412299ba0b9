"""The pages of the api app that are not under /api/v1/: open data and the user's API keys."""

from django.urls import path

from api import opendata, tokens

opendata_patterns = (
    [
        path("", opendata.open_data, name="page"),
        path("tai-ve.csv", opendata.open_data_csv, name="csv"),
        path("tai-ve.json", opendata.open_data_json, name="json"),
    ],
    "opendata",
)

token_patterns = (
    [
        path("", tokens.token_list, name="list"),
        path("<int:pk>/thu-hoi/", tokens.token_revoke, name="revoke"),
    ],
    "tokens",
)
