"""A fixed-window request counter per client in Django's cache (Redis when REDIS_URL is set, so
that every web process shares it; memory otherwise). settings.KC_API_RATE is "N/second",
"N/minute" or "N/hour" (or an empty string: no limit)."""

import math
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured

PERIODS = {"second": 1, "minute": 60, "hour": 3600}

# The clock, a module attribute so that the tests can move time forward without waiting.
clock = time.time


@dataclass(frozen=True)
class Rate:
    limit: int
    period: int


def configured_rate() -> Rate | None:
    text = (settings.KC_API_RATE or "").strip()
    if not text:
        return None
    count, _, period = text.partition("/")
    try:
        return Rate(limit=int(count), period=PERIODS[period.strip()])
    except (ValueError, KeyError) as error:
        raise ImproperlyConfigured(
            f"KC_API_RATE must read like '120/minute' (second, minute or hour), not {text!r}."
        ) from error


def hit(client: str) -> int | None:
    """Count one request of `client`. None when it is allowed; otherwise the seconds until its
    window ends (the Retry-After)."""
    rate = configured_rate()
    if rate is None:
        return None
    now = clock()
    window = int(now // rate.period)
    key = f"api-rate:{client}:{rate.period}:{window}"
    cache.add(key, 0, timeout=rate.period + 1)
    try:
        count = cache.incr(key)
    except ValueError:  # evicted between add and incr
        cache.set(key, 1, timeout=rate.period + 1)
        count = 1
    if count <= rate.limit:
        return None
    return max(1, math.ceil((window + 1) * rate.period - now))
