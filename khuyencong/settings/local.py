"""The embedded demo: SQLite and in-process tasks unless DATABASE_URL / REDIS_URL say otherwise."""

from .base import *

DEBUG = env_bool("DEBUG", default=True)
# A fixed development key keeps sessions across restarts of the demo; production refuses it.
SECRET_KEY = SECRET_KEY or "django-insecure-khuyencong-local-demo-key-do-not-use-in-production"
# The demo serves static files from the source folders; production serves the collected ones.
STATIC_ROOT = None
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
