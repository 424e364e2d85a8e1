"""Django settings, read from the environment through the table in `config.py`."""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from buicasus.config import (
    PROJECT_ROOT,
    data_dir,
    env_flag,
    env_value,
    project_path,
    stored_secret_key,
)

BASE_DIR = Path(__file__).resolve().parent
try:
    DATA_DIR = data_dir()
except OSError as exc:
    raise ImproperlyConfigured(
        f"the data folder {project_path('BUICASUS_DATA_DIR')} cannot be used ({exc.strerror}): "
        "set BUICASUS_DATA_DIR to a folder this user may write"
    ) from exc

DEBUG = env_flag("DEBUG")
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY and DEBUG:
    SECRET_KEY = "insecure-development-key-only-used-with-DEBUG-on"
elif not SECRET_KEY:
    # No default secret outside DEBUG: each installation generates its own, once.
    try:
        SECRET_KEY = stored_secret_key(DATA_DIR)
    except (OSError, ValueError) as exc:
        raise ImproperlyConfigured(
            f"SECRET_KEY is not set and the data folder {DATA_DIR} cannot hold a generated one "
            f"({getattr(exc, 'strerror', None) or exc}): set SECRET_KEY, or make the folder "
            "writable and its secret_key file readable by this user"
        ) from exc

ALLOWED_HOSTS = [h.strip() for h in env_value("ALLOWED_HOSTS").split(",") if h.strip()]
if DEBUG:
    ALLOWED_HOSTS += ["testserver"]

_default_db = f"sqlite:///{DATA_DIR / 'buicasus.sqlite3'}"
_db_url = os.environ.get("DATABASE_URL") or _default_db
try:
    _db = dj_database_url.parse(_db_url, conn_max_age=60, conn_health_checks=True)
except ValueError as exc:
    raise ImproperlyConfigured(
        f"DATABASE_URL is not a database address ({str(exc).split('. ')[0]}): use "
        "sqlite:///PATH or postgres://user:password@host:5432/name"
    ) from exc
DATABASES = {"default": _db}
if os.environ.get("BUICASUS_TEST_DATABASE"):
    DATABASES["default"]["TEST"] = {"NAME": os.environ["BUICASUS_TEST_DATABASE"]}
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    DATABASES["default"]["OPTIONS"] = {"timeout": 20}
    DATABASES["default"]["CONN_MAX_AGE"] = 0

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "ninja",
    "axes",
    "csp",
    "django_tasks",
    "django_tasks_db",
    "buicasus.reference",
    "buicasus.accounts",
    "buicasus.registry",
    "buicasus.importer",
    "buicasus.search",
    "buicasus.dedup",
    "buicasus.interchange",
    "buicasus.maps",
    "buicasus.assessment",
    "buicasus.analysis",
    "buicasus.network",
    "buicasus.reports",
    "buicasus.semantic",
    "buicasus.matching",
    "buicasus.pilots",
    "buicasus.operations",
    "buicasus.privacy",
    "buicasus.jobs",
]

MIDDLEWARE = [
    "buicasus.operations.middleware.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "buicasus.accounts.middleware.CurrentActorMiddleware",
    "csp.middleware.CSPMiddleware",
    # A dropped or locked database answers 503, a full disk 507, never a 500.
    "buicasus.operations.db_errors.ServiceUnavailableMiddleware",
    # Last, as django-axes asks: it turns a locked-out login into its lockout response.
    "axes.middleware.AxesMiddleware",
]

# Background work (django-tasks): queued in the database, run by `buicasus worker`.
TASKS = {"default": {"BACKEND": "django_tasks_db.backend.DatabaseBackend"}}

ROOT_URLCONF = "buicasus.urls"
WSGI_APPLICATION = "buicasus.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "buicasus.accounts.context.platform",
            ],
        },
    },
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]

LANGUAGES = [
    ("en", "English"),
    ("fr", "Français"),
    ("es", "Español"),
    ("sv", "Svenska"),
    ("lv", "Latviešu"),
]
LANGUAGE_CODE = env_value("BUICASUS_LANGUAGE")
if LANGUAGE_CODE not in dict(LANGUAGES):
    raise ImproperlyConfigured(f"BUICASUS_LANGUAGE must be one of {', '.join(dict(LANGUAGES))}.")
LOCALE_PATHS = [BASE_DIR / "locale"]
# One set of date and time formats per language (24-hour clock, day before month).
FORMAT_MODULE_PATH = ["buicasus.formats"]
USE_I18N = True
TIME_ZONE = "Europe/Brussels"
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
# Front-end libraries come from npm at install time (see package.json); never copied in.
_NODE = PROJECT_ROOT / "node_modules"
_VENDOR = [
    ("vendor/pico", _NODE / "@picocss" / "pico" / "css"),
    ("vendor/htmx", _NODE / "htmx.org" / "dist"),
    ("vendor/cytoscape", _NODE / "cytoscape" / "dist"),
]
STATICFILES_DIRS = [BASE_DIR / "static"] + [
    (prefix, path) for prefix, path in _VENDOR if path.is_dir()
]

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "registry:home"
LOGOUT_REDIRECT_URL = "registry:home"

PAGE_SIZE = int(env_value("BUICASUS_PAGE_SIZE"))
IMPORT_MAX_BYTES = int(env_value("BUICASUS_IMPORT_MAX_BYTES"))
UPLOAD_MAX_UNPACKED_BYTES = int(env_value("BUICASUS_UPLOAD_MAX_UNPACKED_BYTES"))
UPLOAD_MAX_ARCHIVE_MEMBERS = int(env_value("BUICASUS_UPLOAD_MAX_ARCHIVE_MEMBERS"))
UPLOAD_MAX_DEPTH = int(env_value("BUICASUS_UPLOAD_MAX_DEPTH"))
UPLOAD_MAX_COLUMNS = int(env_value("BUICASUS_UPLOAD_MAX_COLUMNS"))
UPLOAD_MAX_CELL_CHARS = int(env_value("BUICASUS_UPLOAD_MAX_CELL_CHARS"))
MAPPING_MAX_BYTES = int(env_value("BUICASUS_MAPPING_MAX_BYTES"))
MAPPING_MAX_NODES = int(env_value("BUICASUS_MAPPING_MAX_NODES"))
MAPPING_REGEX_TIMEOUT_MS = float(env_value("BUICASUS_MAPPING_REGEX_TIMEOUT_MS"))
DEDUP_AUTO_MERGE = env_flag("BUICASUS_DEDUP_AUTO_MERGE")
DEDUP_REVIEW_THRESHOLD = float(env_value("BUICASUS_DEDUP_REVIEW_THRESHOLD"))
DEDUP_CERTAIN_THRESHOLD = float(env_value("BUICASUS_DEDUP_CERTAIN_THRESHOLD"))
ENCODER = env_value("BUICASUS_ENCODER")
ANN_THRESHOLD = int(env_value("BUICASUS_ANN_THRESHOLD"))
MATURITY_GAP = float(env_value("BUICASUS_MATURITY_GAP"))
SLOW_REQUEST_MS = float(env_value("BUICASUS_SLOW_REQUEST_MS"))
RETENTION_LOGIN_DAYS = int(env_value("BUICASUS_RETENTION_LOGIN_DAYS"))
SITE_URL = env_value("BUICASUS_SITE_URL").rstrip("/")
if DEBUG:
    # Notification e-mails are printed, not sent, while developing.
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "buicasus.operations.logging.RequestIdFilter"}},
    "formatters": {
        "json": {"()": "buicasus.operations.logging.JsonFormatter"},
        "text": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["request_id"],
            "formatter": env_value("BUICASUS_LOG_FORMAT"),
        }
    },
    "root": {"handlers": ["console"], "level": env_value("BUICASUS_LOG_LEVEL")},
    "loggers": {
        # Django logs every 4xx/5xx itself; our request lines already carry them.
        "django.request": {"level": "ERROR"},
        "django.server": {"level": "WARNING"},
    },
}

AUTHENTICATION_BACKENDS = [
    # Counts failed logins and refuses a username (from one address) after too many.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = int(env_value("BUICASUS_LOGIN_FAILURE_LIMIT"))
AXES_COOLOFF_TIME = float(env_value("BUICASUS_LOGIN_COOLOFF_MINUTES")) / 60
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_VERBOSE = False

# Scripts only from our own static files; inline styles stay allowed for the SVG charts and
# Swagger UI (style injection cannot run code).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
# Behind an HTTPS reverse proxy (the production set-up in docs/operations.md).
if env_flag("BUICASUS_HTTPS"):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = True
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = 31_536_000
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
