"""Every refusal is JSON {"error": message, "errors": {param: [messages]}}, in Vietnamese, or
in English when the client asks for it."""

import pytest

from tests.api.conftest import bearer


def _shape(response, status):
    assert response.status_code == status
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert set(body) == {"error", "errors"}
    assert isinstance(body["error"], str) and body["error"]
    assert all(isinstance(messages, list) for messages in body["errors"].values())
    return body


def test_400_names_each_parameter(client, world, ministry_key):
    response = client.get(
        "/api/v1/schemes/", {"year": "x", "page_size": "500"}, **bearer(ministry_key)
    )
    body = _shape(response, 400)
    assert body["error"] == "Tham số không hợp lệ."
    assert set(body["errors"]) == {"year", "page_size"}


def test_401(client, db):
    _shape(client.get("/api/v1/aggregates/?year=2019"), 401)


def test_403(client, world, ministry, ministry_key):
    ministry.is_active = False
    ministry.save()
    _shape(client.get("/api/v1/schemes/", **bearer(ministry_key)), 403)


@pytest.mark.parametrize(
    "url", ["/api/v1/schemes/NOPE/2019/", "/api/v1/khong-co/", "/api/v1/schemes/x/y/"]
)
def test_404(client, world, ministry_key, url):
    _shape(client.get(url, **bearer(ministry_key)), 404)


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
@pytest.mark.parametrize("url", ["/api/v1/schemes/", "/api/v1/summary/", "/api/v1/schema/"])
def test_405_for_every_write(client, world, ministry_key, method, url):
    response = getattr(client, method)(url, **bearer(ministry_key))
    body = _shape(response, 405)
    assert response["Allow"] == "GET, HEAD"
    assert method.upper() in body["error"]


def test_messages_in_english_on_request(client, world, ministry_key):
    body = _shape(
        client.get(
            "/api/v1/schemes/", {"page": "0"}, HTTP_ACCEPT_LANGUAGE="en", **bearer(ministry_key)
        ),
        400,
    )
    assert body["error"] == "Invalid parameters."
    assert "page" in body["errors"]
    unauthorised = _shape(client.get("/api/v1/schemes/", HTTP_ACCEPT_LANGUAGE="en"), 401)
    assert "Log in" in unauthorised["error"] or "key" in unauthorised["error"]
