"""Settings for Một Cửa, read from the environment.

One module for every setting. With no environment at all it runs the demo:
SQLite in ``var/``, a filesystem Celery broker, emails printed to the console
(``make demo`` writes them to files in ``var/emails/`` instead: EMAIL_FILE_DIR).
``PRODUCTION=true`` switches on the hardening that ``manage.py check --deploy``
expects and refuses to start without a real ``SECRET_KEY``.
"""

import os
from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

from config import redis as redis_config

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("MOTCUA_VAR_DIR", BASE_DIR / "var"))


def env(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in env(name, default).split(",") if item.strip()]


PRODUCTION = env_bool("PRODUCTION")
DEBUG = env_bool("DEBUG", default=not PRODUCTION)

_DEV_SECRET = "dev-only-insecure-key-do-not-use-in-production-0123456789abcdefghij"
SECRET_KEY = env("SECRET_KEY", "" if PRODUCTION else _DEV_SECRET)
if PRODUCTION and (not SECRET_KEY or SECRET_KEY == _DEV_SECRET):
    raise ImproperlyConfigured("PRODUCTION=true needs SECRET_KEY set to a long random value.")

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "" if PRODUCTION else "127.0.0.1,localhost,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
# The public address printed in QR codes and emails (no trailing slash).
SITE_URL = env("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "procedures",
    "desk",
    "surveys",
    "conduct",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "procedures.middleware.MalformedCookieMiddleware",  # before the session is read
    "django.contrib.sessions.middleware.SessionMiddleware",
    "procedures.middleware.LanguageMiddleware",  # the cookie, never Accept-Language
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # NUL bytes and non-UTF-8 in any path, query or form value: a 400 in the layout.
    "procedures.middleware.MalformedInputMiddleware",
    # The empty 405 of a POST-only address: a page in the layout.
    "procedures.middleware.MethodNotAllowedPageMiddleware",
    "procedures.middleware.PrivateWhenSignedInMiddleware",  # no-store for staff pages
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
]

# The dashboard's covering index (desk.ProcedureMonthStats) has INCLUDE columns that
# only PostgreSQL builds; SQLite (the demo) gets the plain index, which is fine.
SILENCED_SYSTEM_CHECKS = ["models.W040"]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

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
                "procedures.context_processors.navigation",
                "desk.context_processors.notifications",
            ],
        },
    },
]

# Embedded SQLite for the demo; PostgreSQL (psycopg 3) everywhere else.
VAR_DIR.mkdir(parents=True, exist_ok=True)
DATABASES = {
    "default": dj_database_url.parse(
        env("DATABASE_URL", f"sqlite:///{VAR_DIR / 'motcua.sqlite3'}"),
        conn_max_age=int(env("DB_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the web server, the worker and beat share the demo database.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Django binds parameters in the client and turns prepared statements off
    # (poolers). Its cursors never prepare; the public lookup's one statement runs
    # on a server-binding cursor (surveys/lookup.py) and is prepared after this many
    # runs on a connection. DB_PREPARE_THRESHOLD=none behind a pooler in transaction
    # mode that cannot keep prepared statements (PgBouncer < 1.21).
    threshold = env("DB_PREPARE_THRESHOLD", "5").lower()
    DATABASES["default"].setdefault("OPTIONS", {})["prepare_threshold"] = (
        None if threshold == "none" else int(threshold)
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Every Redis socket operation (cache and broker, connecting included) gives up after
# REDIS_TIMEOUT seconds; after a failure a process leaves the cache's Redis alone for
# REDIS_RETRY_AFTER seconds (config/redis.py), so a hung Redis cannot hold the web
# workers: pages go on without the cache, jobs wait in PostgreSQL for their sweep.
REDIS_TIMEOUT = float(env("REDIS_TIMEOUT", "0.5"))
REDIS_RETRY_AFTER = float(env("REDIS_RETRY_AFTER", "5"))

# Redis in production and tests; a file cache for the demo so that the login and
# lookup throttles are shared between processes without a server.
CACHE_URL = env("CACHE_URL")
if CACHE_URL.startswith("redis"):
    CACHES = {
        "default": redis_config.cache_config(
            CACHE_URL, timeout=REDIS_TIMEOUT, key_prefix=env("CACHE_KEY_PREFIX", "motcua")
        )
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(VAR_DIR / "cache"),
        }
    }

# Template fragments that depend on nothing but the language (the citizen pages'
# header), rendered once per process ({% cache ... using="fragments" %}): templates
# only change with a deploy (restart the development server after editing one).
CACHES["fragments"] = {
    "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
    "LOCATION": "motcua-fragments",
}

AUTH_USER_MODEL = "procedures.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Login throttle (procedures/auth.py login_retry_after): this many failures of one
# username from one address lock that pair for the window; past it, the username's
# failures from anywhere add a doubling delay; a browser the user signed in from
# before (the known-device cookie, kept LOGIN_DEVICE_DAYS) is exempt from both.
LOGIN_MAX_FAILURES = int(env("LOGIN_MAX_FAILURES", "5"))
LOGIN_FAILURE_WINDOW = int(env("LOGIN_FAILURE_WINDOW", "900"))
LOGIN_DEVICE_COOKIE_NAME = "motcua_device"
LOGIN_DEVICE_DAYS = int(env("LOGIN_DEVICE_DAYS", "180"))

# Vietnamese first; English through the catalogs in locale/.
LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", "Tiếng Việt"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True
FORMAT_MODULE_PATH = ["config.formats"]
LANGUAGE_COOKIE_NAME = "motcua_language"
# Sent on links from other sites (a QR code opens the page in the chosen language),
# never on their cross-site requests; Secure and HttpOnly in production (below).
LANGUAGE_COOKIE_SAMESITE = "Lax"
# A refused CSRF check answers with the 403 page in the layout, not Django's bare one.
CSRF_FAILURE_VIEW = "procedures.views.errors.csrf_failure"

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # whitenoise warns about a missing root
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "media/"
MEDIA_ROOT = Path(env("MEDIA_ROOT", str(VAR_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
# Catalog imports are read in memory; 20 MB is far above a 2,000-procedure workbook.
DATA_UPLOAD_MAX_MEMORY_SIZE = 20 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
IMPORT_MAX_BYTES = int(env("IMPORT_MAX_BYTES", str(20 * 1024 * 1024)))

# Content-Security-Policy: no inline scripts or styles anywhere; htmx is served
# from our own static files (django-htmx), never from a CDN.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = 60 * 60 * 10  # one working day plus overtime

if PRODUCTION:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]  # load balancers probe over plain HTTP
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = int(env("SECURE_HSTS_SECONDS", str(60 * 60 * 24 * 365)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    LANGUAGE_COOKIE_SECURE = True
    LANGUAGE_COOKIE_HTTPONLY = True

# Email (Django 6.1 MAILERS): SMTP when EMAIL_HOST is set; in production without it,
# the machine's own mail relay (localhost:25, no TLS: Django's historical default), so
# that production never silently prints mail to a console (check --deploy stays
# clean, and mail the relay refuses waits in the outbox, visible to administrators).
# Otherwise one file per connection in EMAIL_FILE_DIR when that is set (`make demo`:
# var/emails/, procedures/management/commands/run_demo.py); else the console. Tests
# always get Django's locmem outbox.
EMAIL_HOST = env("EMAIL_HOST")
EMAIL_FILE_DIR = env("EMAIL_FILE_DIR")
if EMAIL_HOST or PRODUCTION:
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {
                "host": EMAIL_HOST or "localhost",
                "port": int(env("EMAIL_PORT", "587" if EMAIL_HOST else "25")),
                "username": env("EMAIL_HOST_USER"),
                "password": env("EMAIL_HOST_PASSWORD"),
                "use_tls": env_bool("EMAIL_USE_TLS", bool(EMAIL_HOST)),
                "timeout": 20,
            },
        }
    }
elif EMAIL_FILE_DIR:
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.filebased.EmailBackend",
            "OPTIONS": {"file_path": EMAIL_FILE_DIR},
        }
    }
else:
    MAILERS = {"default": {"BACKEND": "django.core.mail.backends.console.EmailBackend"}}
del (
    EMAIL_HOST,
    EMAIL_FILE_DIR,
)  # only MAILERS configures email (the EMAIL_* settings are deprecated)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "Một Cửa <no-reply@motcua.local>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Celery: Redis when CELERY_BROKER_URL is set, otherwise a filesystem broker in
# var/ so that the demo needs no server (see config/celery.py).
CELERY_BROKER_URL = env("CELERY_BROKER_URL", "filesystem://")
CELERY_RESULT_BACKEND = env(
    "CELERY_RESULT_BACKEND",
    "redis://" if CELERY_BROKER_URL.startswith("redis") else f"file://{VAR_DIR / 'celery-results'}",
)
if CELERY_RESULT_BACKEND == "redis://":
    CELERY_RESULT_BACKEND = CELERY_BROKER_URL
if CELERY_BROKER_URL.startswith("filesystem"):
    _broker_dir = VAR_DIR / "celery-broker"
    for _sub in ("queue", "processed", "control"):
        (_broker_dir / _sub).mkdir(parents=True, exist_ok=True)
    (VAR_DIR / "celery-results").mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_broker_dir / "queue"),
        "data_folder_out": str(_broker_dir / "queue"),
        "processed_folder": str(_broker_dir / "processed"),
        "control_folder": str(_broker_dir / "control"),  # else kombu writes ./control/
        "store_processed": False,
    }
if CELERY_BROKER_URL.startswith("redis"):
    CELERY_BROKER_TRANSPORT_OPTIONS = redis_config.broker_options(REDIS_TIMEOUT)
CELERY_BROKER_CONNECTION_TIMEOUT = REDIS_TIMEOUT
# A publish (a view's .delay() after commit) is not retried: with the broker down
# or hung it fails within about REDIS_TIMEOUT and the job's row waits for its sweep
# (desk.tasks.sweep_jobs, deliver_pending) instead of the request waiting. (A
# connection left closed by a Redis restart is replaced on checkout, no retry needed.)
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": 0,
    "interval_start": 0,
    "interval_step": 0,
    "interval_max": 0,
}
CELERY_REDIS_SOCKET_TIMEOUT = REDIS_TIMEOUT  # the result backend, when it is Redis
CELERY_REDIS_SOCKET_CONNECT_TIMEOUT = REDIS_TIMEOUT
# Nobody waits for a task's result (outcomes are in PostgreSQL): a .delay() then
# never subscribes to a result channel, which with Redis down costs seconds.
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True  # a task whose worker dies mid-way is delivered again
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER")
# Every periodic job, in one place.
CELERY_BEAT_SCHEDULE = {
    # The clock scan: due-soon, due-today, step and overdue alerts and apology drafts
    # for what crossed a threshold since the last scan (desk/alerts/).
    "scan-clocks": {"task": "desk.tasks.scan_clocks", "schedule": 60.0},
    # The email outbox sweep: what was never queued (broker down) or whose worker died.
    "deliver-pending-email": {"task": "desk.tasks.deliver_pending", "schedule": 60.0},
    # The job sweep: exports and catalog imports the broker lost or whose worker died
    # are queued again (procedures/jobs.py; JOBS_REQUEUE_AFTER, JOBS_STALE_AFTER).
    "sweep-jobs": {"task": "desk.tasks.sweep_jobs", "schedule": 60.0},
    # Leaders' digest at the opening of each leader's agency: every five minutes in
    # the morning, each leader once a day (the task skips days off and agencies not
    # yet open; the calendar and the hours are data).
    "daily-digests": {
        "task": "desk.tasks.send_daily_digests",
        "schedule": crontab(hour="5-11", minute="*/5"),
    },
    # Conduct inspections: remind owners of follow-ups past their deadline, once each
    # (conduct/services.py remind_overdue_follow_ups through desk.alerts.notify_once).
    "conduct-overdue-follow-ups": {
        "task": "conduct.tasks.remind_overdue_follow_ups",
        "schedule": 300.0,
    },
    # Feedback (PAKN) whose legal deadline passed since the last scan: alert the
    # agency's heads once each (surveys/services/ scan_feedback_deadlines).
    "feedback-deadlines": {"task": "surveys.tasks.scan_feedback_deadlines", "schedule": 60.0},
    # The dashboard's end-of-day stocks (open within term, overdue, awaiting a
    # supplement) of the day that just ended; today's are computed live.
    "snapshot-stocks": {
        "task": "desk.tasks.snapshot_stocks",
        "schedule": crontab(hour=0, minute=5),
    },
    # The calendar always holds this year and the next two (desk/calendar_seed.py
    # ensure_years): checked every night, so on 1 January the new third year is
    # loaded, and a worker that was down that night catches up the next.
    "extend-calendar": {
        "task": "desk.tasks.extend_calendar",
        "schedule": crontab(hour=0, minute=20),
    },
    # Exported dashboard lists are kept EXPORT_KEEP_DAYS days, then deleted.
    "purge-exports": {"task": "desk.tasks.purge_exports", "schedule": crontab(hour=2, minute=0)},
}
# Citizens' side (surveys/): public lookup throttle per client address, the rating
# link's validity after the return, and how long a kiosk shows a returned dossier.
LOOKUP_RATE = int(env("LOOKUP_RATE", "30"))  # lookups per LOOKUP_RATE_WINDOW seconds
LOOKUP_RATE_WINDOW = int(env("LOOKUP_RATE_WINDOW", "60"))
LOOKUP_FAILURES = int(env("LOOKUP_FAILURES", "10"))  # wrong code or key per window
LOOKUP_FAILURES_WINDOW = int(env("LOOKUP_FAILURES_WINDOW", "900"))
# Rendered lookup pages kept in Redis until the dossier changes (surveys/lookup_cache.py), at
# most this many seconds; 0 turns the cache off.
LOOKUP_CACHE_SECONDS = int(env("LOOKUP_CACHE_SECONDS", "600"))
FEEDBACK_RATE = int(env("FEEDBACK_RATE", "5"))  # feedback sent per client per window
FEEDBACK_RATE_WINDOW = int(env("FEEDBACK_RATE_WINDOW", "3600"))
RATING_LINK_DAYS = int(env("RATING_LINK_DAYS", "30"))
KIOSK_WINDOW_MINUTES = int(env("KIOSK_WINDOW_MINUTES", "30"))
# Alerts: "due soon" is one working day before the due time (desk/clock.py); apology drafting.
ALERT_DRAFT_APOLOGIES = env_bool("ALERT_DRAFT_APOLOGIES", True)
# Apology drafts (form 04) come this many working hours before the due time, so the
# unit head can still sign one at least a working day ahead (desk/alerts/).
ALERT_APOLOGY_DRAFT_HOURS = int(env("ALERT_APOLOGY_DRAFT_HOURS", "16"))
# Jobs someone waits for (exports, catalog imports; procedures/jobs.py): queued
# again by the sweep when still waiting after JOBS_REQUEUE_AFTER seconds, or
# running with no progress for JOBS_STALE_AFTER seconds (its worker died; longer
# than an all-or-nothing import, which reports no progress until it commits).
JOBS_REQUEUE_AFTER = int(env("JOBS_REQUEUE_AFTER", "120"))
JOBS_STALE_AFTER = int(env("JOBS_STALE_AFTER", "900"))
# How long the dashboard's exported lists stay downloadable.
EXPORT_KEEP_DAYS = int(env("EXPORT_KEEP_DAYS", "7"))

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "INFO"},
        # WeasyPrint logs eight progress lines per PDF at INFO; keep its warnings.
        "weasyprint": {"level": "WARNING"},
    },
}
