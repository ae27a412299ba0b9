"""Settings chosen by the environment. Each case imports a settings module in a fresh interpreter
with a controlled environment, as a server process would at start-up."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

# Every variable the settings read, and DJANGO_SETTINGS_MODULE: none leaks in from the caller.
SETTINGS_VARIABLES = {
    "DJANGO_SETTINGS_MODULE",
    "SECRET_KEY",
    "DEBUG",
    "ALLOWED_HOSTS",
    "CSRF_TRUSTED_ORIGINS",
    "DATABASE_URL",
    "DATABASE_CONN_MAX_AGE",
    "REDIS_URL",
    "MEDIA_ROOT",
    "DEFAULT_FROM_EMAIL",
    "LOG_LEVEL",
}
SETTINGS_PREFIXES = ("CELERY_", "EMAIL_", "SECURE_")

VALID_PRODUCTION_ENV = {
    "SECRET_KEY": "k3y-for-tests-only-" + "abcdefghijklmnopqrstuvwxyz0123456789ABCD",
    "DATABASE_URL": "postgres://khuyencong@127.0.0.1:5432/khuyencong",
    "REDIS_URL": "redis://127.0.0.1:6379/0",
    "ALLOWED_HOSTS": "khuyencong.example.gov.vn",
    "EMAIL_HOST": "smtp.example.gov.vn",
}


def run_python(code: str, **env: str) -> subprocess.CompletedProcess:
    clean = {
        name: value
        for name, value in os.environ.items()
        if name not in SETTINGS_VARIABLES and not name.startswith(SETTINGS_PREFIXES)
    }
    return subprocess.run(  # noqa: S603 (our own interpreter and code)
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def import_production(**env: str) -> subprocess.CompletedProcess:
    return run_python("import khuyencong.settings.production", **env)


def without(name: str) -> dict[str, str]:
    return {key: value for key, value in VALID_PRODUCTION_ENV.items() if key != name}


def test_production_settings_import_with_every_required_variable():
    result = run_python(
        "import json; from khuyencong.settings import production as s; "
        "print(json.dumps([s.DEBUG, s.DATABASES['default']['ENGINE'], "
        "s.CELERY_TASK_ALWAYS_EAGER]))",
        **VALID_PRODUCTION_ENV,
    )

    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == [False, "django.db.backends.postgresql", False]


@pytest.mark.parametrize(
    ("env", "message"),
    [
        pytest.param(
            without("SECRET_KEY"), "Set the SECRET_KEY environment variable.", id="no-key"
        ),
        pytest.param(
            {**VALID_PRODUCTION_ENV, "SECRET_KEY": "too-short-0123456789"},
            "SECRET_KEY must be a random string of at least 50 characters.",
            id="short-key",
        ),
        pytest.param(
            {**VALID_PRODUCTION_ENV, "SECRET_KEY": "django-insecure-" + "x" * 50},
            "SECRET_KEY must be a random string of at least 50 characters.",
            id="insecure-key",
        ),
        pytest.param(
            without("DATABASE_URL"), "Set DATABASE_URL to the PostgreSQL database.", id="no-db"
        ),
        pytest.param(
            {**VALID_PRODUCTION_ENV, "DATABASE_URL": "sqlite:///db.sqlite3"},
            "Set DATABASE_URL to the PostgreSQL database.",
            id="sqlite-db",
        ),
        pytest.param(without("REDIS_URL"), "Set REDIS_URL", id="no-redis"),
        pytest.param(without("ALLOWED_HOSTS"), "Set ALLOWED_HOSTS", id="no-hosts"),
        pytest.param(
            without("EMAIL_HOST"), "Set the EMAIL_HOST environment variable.", id="no-mail"
        ),
    ],
)
def test_production_settings_refuse_to_import(env, message):
    result = import_production(**env)

    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert message in result.stderr


def test_embedded_default_is_sqlite_with_in_process_tasks():
    """No DATABASE_URL / REDIS_URL: the demo runs on SQLite with a memory cache and Celery tasks
    in-process."""
    result = run_python(
        "import json; from django.conf import settings; "
        "print(json.dumps({"
        "'engine': settings.DATABASES['default']['ENGINE'], "
        "'name': str(settings.DATABASES['default']['NAME']), "
        "'eager': settings.CELERY_TASK_ALWAYS_EAGER, "
        "'broker': settings.CELERY_BROKER_URL, "
        "'cache': settings.CACHES['default']['BACKEND'], "
        "'debug': settings.DEBUG}))",
        DJANGO_SETTINGS_MODULE="khuyencong.settings.local",
    )

    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == {
        "engine": "django.db.backends.sqlite3",
        "name": str(ROOT / "db.sqlite3"),
        "eager": True,
        "broker": "memory://",
        "cache": "django.core.cache.backends.locmem.LocMemCache",
        "debug": True,
    }


def test_database_and_redis_urls_switch_on_the_real_services():
    result = run_python(
        "import json; from django.conf import settings; "
        "print(json.dumps([settings.DATABASES['default']['ENGINE'], "
        "settings.CELERY_TASK_ALWAYS_EAGER, settings.CELERY_BROKER_URL, "
        "settings.CACHES['default']['BACKEND']]))",
        DJANGO_SETTINGS_MODULE="khuyencong.settings.local",
        DATABASE_URL="postgres://postgres@127.0.0.1:5432/khuyencong",
        REDIS_URL="redis://127.0.0.1:6379/0",
    )

    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == [
        "django.db.backends.postgresql",
        False,
        "redis://127.0.0.1:6379/0",
        "django.core.cache.backends.redis.RedisCache",
    ]
