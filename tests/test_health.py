"""/healthz: what the load balancer and the compose healthcheck ask. Nothing is mocked: the checks
talk to the real database and, where configured, the real Redis."""

import pytest
from django.urls import reverse

CLOSED_PORT_REDIS = "redis://127.0.0.1:1/0"


def get_health(client):
    response = client.get(reverse("healthz"))
    assert response["Content-Type"] == "application/json"
    assert "no-cache" in response["Cache-Control"]
    return response, response.json()


def test_healthz_answers_200_with_the_database_ok(client, db):
    response, body = get_health(client)

    assert response.status_code == 200
    assert body["status"] == "ok"
    assert body["checks"]["database"] == "ok"
    assert set(body["checks"]) == {"database", "redis", "celery_broker"}


def test_healthz_only_answers_get(client, db):
    assert client.post(reverse("healthz")).status_code == 405


def test_healthz_answers_503_when_a_configured_service_is_unreachable(client, db, settings):
    """Works without any service running: nothing listens on port 1."""
    settings.REDIS_URL = CLOSED_PORT_REDIS

    response, body = get_health(client)

    assert response.status_code == 503
    assert body["status"] == "error"
    assert body["checks"]["database"] == "ok"
    assert body["checks"]["redis"].startswith("error: ")


@pytest.mark.services
def test_healthz_reports_redis_and_the_celery_broker_ok(client, db):
    response, body = get_health(client)

    assert response.status_code == 200, body
    assert body == {
        "status": "ok",
        "checks": {"database": "ok", "redis": "ok", "celery_broker": "ok"},
    }


@pytest.mark.services
def test_healthz_answers_503_when_redis_is_down(client, db, settings):
    settings.REDIS_URL = CLOSED_PORT_REDIS

    response, body = get_health(client)

    assert response.status_code == 503
    assert body["status"] == "error"
    assert body["checks"]["database"] == "ok"
    assert body["checks"]["redis"] == "error: ConnectionError"
