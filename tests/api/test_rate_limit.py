"""KC_API_RATE, per key (or user), per address for the public endpoints and refused keys. The
clock is moved by the test, so that nothing depends on how fast the machine runs."""

import uuid

import pytest

from api import ratelimit
from tests.api.conftest import bearer, key_for


@pytest.fixture
def clock(monkeypatch, settings):
    """A clock of our own, starting in a window no other run has used (the cache may be a
    Redis shared with earlier runs)."""
    settings.KC_API_RATE = "3/minute"
    now = [float((uuid.uuid4().int % 10**7) * 60)]
    monkeypatch.setattr(ratelimit, "clock", lambda: now[0])
    return now


def test_429_with_retry_after_then_recovers(client, world, ministry_key, clock):
    url = "/api/v1/schemes/?year=2019"
    clock[0] += 15  # 45 s left in the window
    for _ in range(3):
        assert client.get(url, **bearer(ministry_key)).status_code == 200
    refused = client.get(url, **bearer(ministry_key))
    assert refused.status_code == 429
    assert refused["Retry-After"] == "45"
    assert set(refused.json()) == {"error", "errors"}
    assert "45" in refused.json()["error"]
    clock[0] += 45
    assert client.get(url, **bearer(ministry_key)).status_code == 200


def test_each_key_has_its_own_count(client, world, ministry, ministry_key, clock):
    url = "/api/v1/schemes/?year=2019"
    for _ in range(3):
        client.get(url, **bearer(ministry_key))
    assert client.get(url, **bearer(ministry_key)).status_code == 429
    assert client.get(url, **bearer(key_for(ministry, "other"))).status_code == 200


def test_public_endpoints_and_refused_keys_count_per_address(client, world, clock):
    url = "/api/v1/summary/?year=2019"
    for _ in range(3):
        assert client.get(url, REMOTE_ADDR="10.1.1.1").status_code == 200
    assert client.get(url, REMOTE_ADDR="10.1.1.1").status_code == 429
    assert client.get(url, REMOTE_ADDR="10.1.1.2").status_code == 200
    # Guessing keys from one address is limited as well.
    for _ in range(3):
        response = client.get("/api/v1/schemes/", REMOTE_ADDR="10.1.1.3", **bearer("kc_guess"))
        assert response.status_code == 401
    assert (
        client.get("/api/v1/schemes/", REMOTE_ADDR="10.1.1.3", **bearer("kc_guess")).status_code
        == 429
    )


def test_no_limit_when_the_setting_is_empty(client, world, settings):
    settings.KC_API_RATE = ""
    for _ in range(5):
        assert client.get("/api/v1/summary/?year=2019").status_code == 200


def test_a_malformed_setting_is_reported(settings):
    settings.KC_API_RATE = "lots"
    with pytest.raises(Exception, match="KC_API_RATE"):
        ratelimit.configured_rate()
