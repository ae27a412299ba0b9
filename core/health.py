"""Whether the services the application depends on answer; used by /healthz and the compose file."""

from django.conf import settings
from django.db import connection


def check_database() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return "ok"


def check_redis() -> str:
    if not settings.REDIS_URL:
        return "not configured"
    import redis

    redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=2, socket_timeout=2).ping()
    return "ok"


def check_broker() -> str:
    from khuyencong.celery import app

    if app.conf.broker_url.startswith("memory://"):
        return "not configured"  # the embedded demo runs tasks in-process
    with app.connection_for_write() as conn:
        conn.ensure_connection(max_retries=1, timeout=2)
    return "ok"


CHECKS = {"database": check_database, "redis": check_redis, "celery_broker": check_broker}


def run_checks() -> tuple[bool, dict[str, str]]:
    results, healthy = {}, True
    for name, check in CHECKS.items():
        try:
            results[name] = check()
        except Exception as error:
            results[name] = f"error: {error.__class__.__name__}"
            healthy = False
    return healthy, results
