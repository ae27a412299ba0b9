"""The embedded demo: SQLite and in-process tasks unless DATABASE_URL / REDIS_URL say otherwise."""

from .base import *

DEBUG = env_bool("DEBUG", default=True)
# A fixed development key keeps sessions across restarts of the demo; production refuses it.
SECRET_KEY = SECRET_KEY or "django-insecure-khuyencong-local-demo-key-do-not-use-in-production"
