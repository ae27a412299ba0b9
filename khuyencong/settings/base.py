"""Settings shared by every environment; every value that differs between machines comes from the
environment (see .env.example). local/test/production only override what they must."""

import os
from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def env(name: str, default: str | None = None) -> str:
    value = os.environ.get(name, default)
    if value is None:
        raise ImproperlyConfigured(f"Set the {name} environment variable.")
    return value


def env_bool(name: str, default: bool = False) -> bool:
    return env(name, "1" if default else "0").strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in env(name, default).split(",") if item.strip()]


SECRET_KEY = env("SECRET_KEY", "")
DEBUG = env_bool("DEBUG")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_filters",
    "django_tables2",
    "simple_history",
    "core",
    "provinces",
    "accounts",
    "reference",
    "organisations",
    "establishments",
    "projects",
    "budgets",
    "submissions",
    "registers",
    "imports",
    "notifications",
    "adjustments",
    "monitoring",
    "dashboard",
    "api",
    "exports",
    "reports",
    "demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
]

ROOT_URLCONF = "khuyencong.urls"
WSGI_APPLICATION = "khuyencong.wsgi.application"
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "dashboard:overview"
LOGOUT_REDIRECT_URL = "login"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "notifications.context_processors.inbox",
                "core.navigation.menu",
            ],
        },
    },
]

# DATABASE_URL selects PostgreSQL (postgres://user@host:port/name); without it the embedded demo
# runs on a SQLite file in the project folder.
DATABASES = {
    "default": dj_database_url.parse(
        env("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=int(env("DATABASE_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if "postgresql" in DATABASES["default"]["ENGINE"]:
    # PostgreSQL's JIT compiles a page's larger queries on every request, for seconds, to save
    # less than it costs (docs/benchmark.md): web pages run without it.
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c jit=off"
else:
    # The summary table's covering index (budgets.summary) carries INCLUDE columns, which only
    # PostgreSQL has; SQLite builds the same index without them, as the warning says.
    SILENCED_SYSTEM_CHECKS = ["models.W040"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# REDIS_URL turns on the real services: Redis as cache and as Celery broker, with tasks run by a
# worker. Without it the cache is in memory and Celery runs every task in-process (embedded demo).
REDIS_URL = env("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "kc",
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

CELERY_BROKER_URL = env("CELERY_BROKER_URL", REDIS_URL or "memory://")
CELERY_RESULT_BACKEND = env("CELERY_RESULT_BACKEND", REDIS_URL or "cache+memory://")
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_DEFAULT_QUEUE = env("CELERY_QUEUE", "khuyencong")
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = "Asia/Ho_Chi_Minh"
CELERY_TASK_TIME_LIMIT = 30 * 60
CELERY_TASK_SOFT_TIME_LIMIT = 25 * 60
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Periodic jobs are declared in code so that a change to them is reviewed like any other.
CELERY_BEAT_SCHEDULE: dict = {
    # Deadlines of TT 36/2013 (20 May, 15 June, the 25th) and contracts late after approval.
    "reminders-daily": {
        "task": "notifications.reminders_send",
        "schedule": crontab(hour=7, minute=0),
    },
    # A typical product's certificate lapses the day after 31 December of its third year.
    "product-certificates-expire-daily": {
        "task": "registers.certificates_expire",
        "schedule": crontab(hour=0, minute=15),
    },
    # Schemes at risk of leaving money undisbursed at 31/12, from KC_WARNING_FROM_MONTH on.
    "at-risk-weekly": {
        "task": "monitoring.at_risk_warning_send",
        "schedule": crontab(hour=7, minute=30, day_of_week="mon"),
    },
    # Export files older than KC_EXPORT_KEEP_DAYS are deleted with their job.
    "exports-expire-daily": {
        "task": "exports.export_jobs_expire",
        "schedule": crontab(hour=1, minute=0),
    },
    # Reports and export files whose worker stopped half-way are marked failed.
    "abandoned-work-sweep": {
        "task": "reports.abandoned_work_fail",
        "schedule": crontab(minute="*/10"),
    },
    # The plan report as of the last day of the previous month, to the ministry's subscribers
    # (CELERY_TIMEZONE: 07:00 in Hà Nội).
    "report-monthly": {
        "task": "reports.monthly_report_send",
        "schedule": crontab(day_of_month=1, hour=7, minute=0),
    },
}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Vietnamese first, English second. Django's stock "vi" formats have no thousand grouping and
# read 05/03/2026 as 5 March in US order; our own format modules fix both.
LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", _("Tiếng Việt")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
FORMAT_MODULE_PATH = ["khuyencong.formats"]
USE_I18N = True
USE_THOUSAND_SEPARATOR = True
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Uploaded files live outside the web root and are served only through views that check access.
MEDIA_ROOT = Path(env("MEDIA_ROOT", str(BASE_DIR / "var" / "media")))
# Largest file a province may attach to a scheme's dossier, in bytes (10 MB by default).
ATTACHMENT_MAX_BYTES = int(env("ATTACHMENT_MAX_BYTES", str(10 * 1024 * 1024)))
# Largest spreadsheet the data import accepts, in bytes, and most data rows in one file.
IMPORT_MAX_BYTES = int(env("IMPORT_MAX_BYTES", str(10 * 1024 * 1024)))
IMPORT_MAX_ROWS = int(env("IMPORT_MAX_ROWS", "20000"))
# A file with more data rows than this is checked by a Celery task, with a progress bar.
IMPORT_BACKGROUND_ROWS = int(env("IMPORT_BACKGROUND_ROWS", "500"))

# Plotly draws from a JSON script tag with one static file; its modebar needs inline styles.
SECURE_CSP = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "style-src": ["'self'", "'unsafe-inline'"],
    "img-src": ["'self'", "data:"],
    "font-src": ["'self'"],
    "connect-src": ["'self'"],
    "object-src": ["'none'"],
    "base-uri": ["'self'"],
    "frame-ancestors": ["'self'"],
    "form-action": ["'self'"],
}

DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "khuyencong@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
MAILERS = {
    "default": {
        "BACKEND": env("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend"),
    }
}

# A scheme is behind schedule when what it has paid out lags a linear schedule (from its first
# contract to 31 December) by more than this share of the amount contracted.
BEHIND_SCHEDULE_MARGIN_PERCENT = int(env("BEHIND_SCHEDULE_MARGIN_PERCENT", "15"))

# The weekly e-mail of the schemes at risk of leaving money undisbursed at 31/12 is sent from
# this month of the year on (1-12; October by default).
KC_WARNING_FROM_MONTH = int(env("KC_WARNING_FROM_MONTH", "10"))

# An advance must be followed by a payment or a refund within this many days after the scheme's
# acceptance or after 31 December of its plan year, whichever comes first (consistency panel).
KC_ADVANCE_SETTLEMENT_DAYS = int(env("KC_ADVANCE_SETTLEMENT_DAYS", "30"))

# The implementing unit of a scheme under way reports its progress every month by this day of the
# month (TT 36/2013/TT-BCT: "trước ngày 25 hằng tháng"; 1-28). A report dated this day is on time.
KC_PROGRESS_REPORT_DAY = int(env("KC_PROGRESS_REPORT_DAY", "25"))
if not 1 <= KC_PROGRESS_REPORT_DAY <= 28:
    raise ImproperlyConfigured("KC_PROGRESS_REPORT_DAY must be a day from 1 to 28.")

# How long the dashboard keeps a computed figure (0: no cache). A safety net only: every
# committed write of plans, schemes or the ledger moves the data version, which retires them all.
DASHBOARD_CACHE_SECONDS = int(env("DASHBOARD_CACHE_SECONDS", "900"))

# Requests the API answers per key (or signed-in user; per address for its public endpoints and
# refused keys), counted in the cache: "N/second", "N/minute" or "N/hour"; empty: no limit.
KC_API_RATE = env("KC_API_RATE", "120/minute")

# An export of more rows than this is built by a Celery worker, with a progress page and a
# download link, instead of in the request.
KC_EXPORT_SYNC_LIMIT = int(env("KC_EXPORT_SYNC_LIMIT", "5000"))
# Files built in the background are deleted this many days after they were asked for.
KC_EXPORT_KEEP_DAYS = int(env("KC_EXPORT_KEEP_DAYS", "7"))
# A report or export file still "being made" this many minutes after its worker took it was
# abandoned (the worker stopped): it is marked failed, so the user can ask again.
KC_WORK_TIMEOUT_MINUTES = int(env("KC_WORK_TIMEOUT_MINUTES", "30"))

DJANGO_TABLES2_TEMPLATE = "django_tables2/bootstrap5.html"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "INFO")},
}
