"""Tests run against whatever DATABASE_URL / REDIS_URL name (CI: PostgreSQL and Redis)."""

from .base import *

SECRET_KEY = "test-only-secret-key-not-for-any-deployment"  # noqa: S105
DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
LANGUAGE_CODE = "vi"
MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
MEDIA_ROOT = BASE_DIR / "var" / "test-media"
# Static files come straight from the apps' folders: no collectstatic before the tests.
STATIC_ROOT = None
WHITENOISE_USE_FINDERS = True
# Tasks run in-process in tests, whatever REDIS_URL says; the tests about tasks switch to a real
# worker (tests/notifications/test_worker.py).
CELERY_TASK_ALWAYS_EAGER = True
# Tests change data inside transactions that never commit, so nothing would retire cached
# figures; the cache's own tests switch it on (tests/dashboard/test_cache.py).
DASHBOARD_CACHE_SECONDS = 0
# Every test client comes from 127.0.0.1: the API's limit must not be reached by the suite as a
# whole; the rate limit's own tests set a small one (tests/api/test_rate_limit.py).
KC_API_RATE = "100000/minute"
