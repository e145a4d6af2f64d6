"""Fuhai settings: every value comes from the environment (see .env.example).

Development defaults need nothing but Python (SQLite, an embedded Celery broker);
production (DEBUG off) refuses to start without a SECRET_KEY and says what to set.
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy

from fuhai.errors import SettingsError

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    if value.lower() in {"1", "true", "yes", "on"}:
        return True
    if value.lower() in {"0", "false", "no", "off"}:
        return False
    raise SettingsError(f"{name}={value!r} is not a boolean: set it to true or false.")


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name, "")
    if value == "":
        return default
    try:
        return int(value)
    except ValueError:
        raise SettingsError(f"{name}={value!r} is not a whole number.") from None


# Off unless set: a deploy that forgets DEBUG gets production behaviour and the key checks below.
# `make run` and scripts/with-services (hence the tests) set DEBUG=true.
DEBUG = env_bool("DEBUG", False)

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise SettingsError(
            "SECRET_KEY is not set: set SECRET_KEY to a long random string "
            "(python -c 'import secrets; print(secrets.token_urlsafe(50))') when DEBUG is off."
        )
    SECRET_KEY = "dev-only-insecure-key-do-not-use-in-production"

# ID numbers are encrypted with these comma-separated Fernet keys, newest first. residents/crypto.py
# reads them from the environment, not from settings, but a running process keeps the environment it
# started with: to rotate, prepend a new key and restart web and worker, run `manage.py
# rotate_id_numbers`, then drop the old key and restart again. The look-up hash is keyed from the
# last (oldest) key unless FIELD_HASH_KEY pins it. Without a key in production nothing could be
# decrypted later, so start-up refuses.
if not DEBUG and not os.environ.get("FIELD_ENCRYPTION_KEY", "").strip():
    raise SettingsError(
        "FIELD_ENCRYPTION_KEY is not set: set it to a Fernet key "
        "(python -c 'from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())') "
        "when DEBUG is off, and keep it apart from the database backups."
    )

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost" if not DEBUG else "*")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.postgres",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_filters",
    "django_htmx",
    "axes",
    "csp",
    "fuhai",
    "residents",
    "issues",
    "activities",
]

MIDDLEWARE = [
    "fuhai.middleware.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "fuhai.middleware.IdleSessionMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "fuhai.middleware.PrivateResponseMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "residents.scoping.CommunityMiddleware",
    # Last, as django-axes asks: it turns a locked-out login into the login form with a message.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "fuhai.urls"
WSGI_APPLICATION = "fuhai.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "residents.scoping.community_context",
                "fuhai.context_processors.nav",
                "issues.context_processors.notifications",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------
DATABASE_URL = os.environ.get("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}"
try:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=env_int("CONN_MAX_AGE", 60))}
except Exception as exc:  # dj-database-url raises several types for a bad URL
    raise SettingsError(
        f"DATABASE_URL={DATABASE_URL!r} cannot be read ({exc}): set it like postgres://USER:PASSWORD@HOST:5432/NAME."
    ) from None
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
# Behind PgBouncer in transaction mode a server-side cursor (QuerySet.iterator) would outlive the
# transaction that opened it on the pooled connection: Django must not use them (README, "A district").
DATABASES["default"]["DISABLE_SERVER_SIDE_CURSORS"] = env_bool("DATABASE_TRANSACTION_POOLING", False)
# The role the app connects as in production; migrations (run as the owner) let it only read and
# add rows of the access log. See the README, "Two database roles".
DATABASE_APP_ROLE = os.environ.get("DATABASE_APP_ROLE", "fuhai_app")
IS_POSTGRES = DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"
if IS_POSTGRES and os.environ.get("DATABASE_TEST_TEMPLATE"):
    # The test database is copied from an empty database made with a UTF-8 LC_CTYPE,
    # whatever the cluster's default (pg_trgm extracts nothing from Chinese under C).
    DATABASES["default"]["TEST"] = {"TEMPLATE": os.environ["DATABASE_TEST_TEMPLATE"]}
if not IS_POSTGRES:
    # SQLite (`make run`'s demo) has no covering indexes: the INCLUDE columns are only left out.
    SILENCED_SYSTEM_CHECKS = ["models.W040"]
if os.environ.get("DATABASE_TEST_NAME"):
    # Lets two test runs share one PostgreSQL server without dropping each other's database.
    DATABASES["default"].setdefault("TEST", {})["NAME"] = os.environ["DATABASE_TEST_NAME"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Auth -------------------------------------------------------------------
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
if not DEBUG:
    # The demo's password is printed in the README: nobody may keep it on real data.
    AUTH_PASSWORD_VALIDATORS.append({"NAME": "fuhai.passwords.DemoPasswordValidator"})
# Axes first: a locked-out username + address is refused before the password is checked.
AUTHENTICATION_BACKENDS = [
    "fuhai.lockouts.LockoutBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Five wrong passwords for one username from one address lock that pair for 15 minutes (on the
# login page and the admin); another user at the same office PC can still log in. Every attempt
# during the lock starts the 15 minutes again. A secretary lifts a lock at /accounts/lockouts/.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
# No "AXES: BEGIN version …" banner on every manage.py command and worker start.
AXES_VERBOSE = False
AXES_LOCKOUT_CALLABLE = "fuhai.lockouts.lockout_response"
AXES_CLIENT_IP_CALLABLE = "fuhai.lockouts.client_address"
# Idle sessions end after two hours (fuhai.middleware.IdleSessionMiddleware moves the end as the
# session is used), and with SESSION_EXPIRE_AT_BROWSER_CLOSE=true also when the browser closes
# (shared office PCs).
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 60 * 60 * 2)
SESSION_EXPIRE_AT_BROWSER_CLOSE = env_bool("SESSION_EXPIRE_AT_BROWSER_CLOSE", False)
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# --- Language and time ------------------------------------------------------
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
# Month-day and other date formats per language, used by name in templates (fuhai/formats/).
FORMAT_MODULE_PATH = ["fuhai.formats"]
# A filter's empty choice reads 全部 (every value), not Django's ---------.
FILTERS_EMPTY_CHOICE_LABEL = gettext_lazy("All")
TIME_ZONE = os.environ.get("TIME_ZONE", "Asia/Shanghai")
USE_I18N = True
USE_TZ = True

# --- Static and uploaded files ---------------------------------------------
STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]
# Uploaded photos live outside the static root and are served only through views
# that check the user may see the object (no MEDIA_URL route in urls.py).
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
# The WeChat batch posts about eight fields a draft and reads up to 500 messages
# (issues.wechat.parser): Django's default of 1,000 fields refused the save of more than about
# 125 drafts with a bare 400.
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000

# --- Forms ------------------------------------------------------------------
CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# --- Celery -----------------------------------------------------------------
# Without CELERY_BROKER_URL, `make run` uses kombu's filesystem transport, so the
# worker and beat run on a machine that has only Python. Production sets Redis.
# Everything it writes stays in one folder (var/broker, git-ignored, by default),
# including the exchange tables, which kombu otherwise puts in ./control.
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", "filesystem://")
if CELERY_BROKER_URL == "filesystem://":
    _broker_dir = Path(os.environ.get("CELERY_FILESYSTEM_DIR", BASE_DIR / "var" / "broker"))
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_broker_dir),
        "data_folder_out": str(_broker_dir),
        "processed_folder": str(_broker_dir / "processed"),
        "control_folder": str(_broker_dir / "control"),
        "store_processed": False,
    }
CELERY_TASK_IGNORE_RESULT = True
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", False)
# Lets an integration test run its own worker and beat on a queue nobody else reads.
CELERY_TASK_DEFAULT_QUEUE = os.environ.get("CELERY_TASK_DEFAULT_QUEUE", "celery")
# Exactly one beat in production. The sweep claims due rows from the database, so a second
# beat would not send twice, but there is no reason to sweep twice.
CELERY_BEAT_SCHEDULE = {
    "heartbeat": {"task": "fuhai.tasks.heartbeat", "schedule": 60.0},
    "sweep-reminders": {
        "task": "issues.tasks.sweep_reminders",
        "schedule": float(env_int("REMINDER_SWEEP_SECONDS", 60)),
    },
    "recover-import-jobs": {"task": "residents.tasks.recover_import_jobs", "schedule": 120.0},
    "fold-report-months": {"task": "issues.tasks.fold_report_months", "schedule": 60.0},
}

# --- Security (production) --------------------------------------------------
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if env_bool("BEHIND_HTTPS_PROXY", False) else None
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", not DEBUG)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", not DEBUG)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", not DEBUG)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", not DEBUG)
SECURE_REFERRER_POLICY = "same-origin"
# Scripts only from our own static files (no inline script, no eval: htmx's hx-on and trigger
# filters are not used). Styles allow inline: templates carry style attributes and htmx adds its
# indicator style; a style cannot run code.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "font-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}

# --- E-mail -----------------------------------------------------------------
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
# A mail server that stops answering fails the delivery (retried later) instead of holding the sweep.
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 30)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "fuhai@localhost")
# The address reminders link to (e-mail has no request to build it from).
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

# Every log line carries the request id that the 500 page shows, so a user's report finds its line.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "fuhai.middleware.RequestIdFilter"}},
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s [%(request_id)s] %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "filters": ["request_id"], "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
}
