"""Settings, all read from the environment (see README: "Configuration").

Local defaults work on a developer machine with PostgreSQL and Redis on
127.0.0.1. DEBUG is off unless asked for (`make run` asks), and with it off the
process refuses to start without SECRET_KEY. Any variable can instead name a
file holding its value: `SECRET_KEY_FILE=/run/secrets/secret_key` (Docker and
Kubernetes secrets), `DATABASE_URL_FILE`, `EMAIL_HOST_PASSWORD_FILE`, ...
"""

import sys
from datetime import timedelta
from pathlib import Path

import environ
from celery.schedules import crontab
from csp.constants import NONCE, NONE, SELF
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


class SecretFiles(environ.FileAwareMapping):
    """os.environ where `NAME_FILE` names a file holding NAME's value (it wins over NAME).

    The file's trailing newline (an editor's, `echo`'s) is not part of the value. A
    `NAME_FILE` naming no readable file stops the start-up.
    """

    def __getitem__(self, key: str) -> str:
        path = self.env.get(key + "_FILE")
        try:
            value = super().__getitem__(key)
        except OSError as error:
            raise ImproperlyConfigured(f"{key}_FILE: cannot read {path}: {error}") from error
        return value.rstrip("\r\n") if path else value


env = environ.FileAwareEnv()
env.ENVIRON = SecretFiles()

DEBUG = env.bool("DEBUG", default=False)
SECRET_KEY = env.str("SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    SECRET_KEY = "insecure-local-development-key-do-not-use-in-production"

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
PORT = env.int("PORT", default=8000)

INSTALLED_APPS = [
    # First: its templates (registration/*, base.html) override those of contrib apps.
    "web",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "pgtrigger",
    "pghistory",
    "pghistory.admin",
    "django_countries",
    "django_htmx",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "axes",
    "csp",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "core",
    "cases",
    "parties",
    "warrants",
    "alerts",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "core.accounts.former_backend_sessions",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    # A signed-in user who owes a second factor gets the two-factor step and nothing else.
    "web.accounts.two_factor.TwoFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "core.audit.AuditContextMiddleware",
    # Last: turns a sign-in refused for a lockout into the locked-out page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "web.context.navigation",
            ],
        },
    },
]

DATABASES = {
    "default": env.db_url("DATABASE_URL", default="postgres://postgres@127.0.0.1:5432/casetracker"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
# Connections stay bounded in every process (docs/operations.md, "Database connections").
# gunicorn's sync workers and Celery's processes and threads are reused, so a persistent
# connection (CONN_MAX_AGE) is one per process or thread. The development server starts a
# thread per request: a connection kept open would outlive its thread (60 parallel requests
# left dozens open), so there each request closes its own.
_THREAD_PER_REQUEST = sys.argv[1:2] == ["runserver"]
DATABASES["default"]["CONN_MAX_AGE"] = (
    0 if _THREAD_PER_REQUEST else env.int("CONN_MAX_AGE", default=60)
)
# Web processes whose threads come and go (the development server) or share a process
# (gunicorn's gthread workers: config/gunicorn.py sets DB_POOL_SIZE to their threads) take
# connections from a bounded psycopg pool: at most DB_POOL_SIZE per process, opened once and
# handed from request to request. Celery and the tests keep one connection per process or
# thread (DB_POOL_SIZE 0).
DEV_SERVER_POOL_SIZE = 4
DB_POOL_SIZE = env.int("DB_POOL_SIZE", default=DEV_SERVER_POOL_SIZE if _THREAD_PER_REQUEST else 0)
if DB_POOL_SIZE > 0:
    DATABASES["default"]["CONN_MAX_AGE"] = 0  # the pool keeps them; Django must not
    DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {
        "min_size": 1,
        "max_size": DB_POOL_SIZE,
        # A request waits this long for a connection when every one is busy, then fails.
        "timeout": env.float("DB_POOL_TIMEOUT", default=10.0),
        "max_idle": 300,
    }
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
# Name search (parties.selectors.party_search) filters with pg_trgm's indexed operators,
# which read these thresholds, set per connection whatever the database: a search key
# matches from a word similarity of 0.5 ("Bashar al Asad" scores 1 against the stored
# Bashar al-Assad, one typo 0.6 to 0.8, an unrelated name under 0.4; pg_trgm's default,
# 0.6, is too strict for typos); a skeleton, shorter and so more often alike by chance,
# from a strict word similarity of 0.7.
_db_options = DATABASES["default"].setdefault("OPTIONS", {})
_db_options["options"] = (
    _db_options.get("options", "")
    + " -c pg_trgm.word_similarity_threshold=0.5 -c pg_trgm.strict_word_similarity_threshold=0.7"
).strip()
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Shared cache: API throttle counters must be counted in one place by every web
# process. Default: the local Redis of the broker, another db. Short socket
# timeouts: a throttle that cannot reach it lets the request through (api/throttles.py).
CACHES = {"default": env.cache_url("CACHE_URL", default="redis://127.0.0.1:6379/1")}
CACHES["default"].setdefault("KEY_PREFIX", "casetracker")
if CACHES["default"]["BACKEND"] == "django.core.cache.backends.redis.RedisCache":
    # redis-py takes lower-case options (django-environ upper-cases ?socket_timeout=...).
    _redis_options = {k.lower(): v for k, v in CACHES["default"].get("OPTIONS", {}).items()}
    CACHES["default"]["OPTIONS"] = {
        "socket_connect_timeout": 0.5,
        "socket_timeout": 0.5,
        **_redis_options,
    }

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("fr", "Français"), ("ar", "العربية")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
    # Source documents (core/sources.py): never served from a URL of their own, only through
    # the permission-checking download views. Local files under SOURCES_ROOT, or an
    # S3-compatible bucket when SOURCES_S3_BUCKET is set (docs/operations.md).
    "sources": {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": env.str("SOURCES_S3_BUCKET"),
            "endpoint_url": env.str("SOURCES_S3_ENDPOINT_URL", default="") or None,
            "region_name": env.str("SOURCES_S3_REGION", default="") or None,
            "access_key": env.str("SOURCES_S3_ACCESS_KEY_ID", default="") or None,
            "secret_key": env.str("SOURCES_S3_SECRET_ACCESS_KEY", default="") or None,
            "location": env.str("SOURCES_S3_PREFIX", default="sources"),
            "default_acl": "private",
            "querystring_auth": True,
            "file_overwrite": False,
        },
    }
    if env.str("SOURCES_S3_BUCKET", default="")
    else {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {
            "location": env.str("SOURCES_ROOT", default=str(BASE_DIR / "var" / "sources")),
            "base_url": None,
            "directory_permissions_mode": 0o700,
            "file_permissions_mode": 0o600,
        },
    },
}
# Uploads of sources: the largest file taken, and how much extracted text is indexed.
SOURCES_MAX_UPLOAD_BYTES = env.int("SOURCES_MAX_UPLOAD_BYTES", default=25 * 1024 * 1024)
SOURCES_TEXT_MAX_CHARS = env.int("SOURCES_TEXT_MAX_CHARS", default=500_000)
SOURCES_SWEEP_SECONDS = env.float("SOURCES_SWEEP_SECONDS", default=60.0)

# Content-Security-Policy (django-csp): no inline script or style but those carrying the
# response's nonce (`{{ request.csp_nonce }}`; only the API docs page has any), nothing
# from another origin, no framing. Django's SecurityMiddleware and XFrameOptionsMiddleware
# still send nosniff, Referrer-Policy, Cross-Origin-Opener-Policy and X-Frame-Options.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF, NONCE],
        "img-src": [SELF, "data:"],  # the API docs' icons are data: URIs
        "font-src": [SELF],
        "connect-src": [SELF],
        # Our pages frame our own PDF previews only (web/sources.py); no plugins (object-src).
        "frame-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}

# Sign-in lockout (django-axes, web/accounts/lockout.py). The axes backend comes first: it
# refuses a locked-out sign-in before any password is checked. API keys and the API's
# session never go through authenticate(), so neither is counted nor locked.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "core.accounts.RoleBackend",
]
AXES_HANDLER = "web.accounts.lockout.LockoutHandler"
AXES_LOCKOUT_PARAMETERS = [["username"], ["ip_address"]]
AXES_FAILURE_LIMIT = env.int("LOGIN_FAILURE_LIMIT", default=5)  # per username
LOGIN_IP_FAILURE_LIMIT = env.int("LOGIN_IP_FAILURE_LIMIT", default=20)  # per address (shared NAT)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("LOGIN_COOLOFF_MINUTES", default=15))
# A success does not wipe the failures: it would also wipe those of every username tried
# from the same address, so one valid account would reset an attack on another.
AXES_RESET_ON_SUCCESS = False
AXES_ENABLE_ACCESS_FAILURE_LOG = True  # every failure kept for the audit (admin)
AXES_LOCKOUT_CALLABLE = "web.accounts.lockout.locked_out"
AXES_HTTP_RESPONSE_CODE = 429
# The address is REMOTE_ADDR: behind a reverse proxy all clients share the proxy's.

# Two-factor sign-in (django-otp, web/accounts/): optional for everyone, required for the
# holders of casetracker.require_two_factor (a role's group, in the admin).
OTP_TOTP_ISSUER = "casetracker"

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "web:dashboard"
LOGOUT_REDIRECT_URL = "login"

EMAIL_BACKEND = env.str("EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env.str("EMAIL_HOST", default="localhost")
EMAIL_PORT = env.int("EMAIL_PORT", default=25)
EMAIL_HOST_USER = env.str("EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env.str("EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", default=False)
EMAIL_FILE_PATH = env.str("EMAIL_FILE_PATH", default=str(BASE_DIR / "sent-mail"))  # file backend
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="casetracker@localhost")

# Celery: at-least-once delivery. Every side effect is idempotent and its
# progress lives in PostgreSQL, so a lost or repeated message is harmless
# (see docs/operations.md).
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default="redis://127.0.0.1:6379/0")
CELERY_RESULT_BACKEND = None
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True  # a task killed mid-way is redelivered ...
CELERY_TASK_REJECT_ON_WORKER_LOST = True  # ... also when its worker process dies
CELERY_WORKER_PREFETCH_MULTIPLIER = 1  # a busy worker does not sit on others' messages
# When the broker connection drops, running tasks finish: cancelling one would kill it
# between a receiver's 200 and the commit that records it, and the receiver would get the
# webhook twice. A finished task whose ack is lost runs again and finds nothing to do.
CELERY_WORKER_CANCEL_LONG_RUNNING_TASKS_ON_CONNECTION_LOSS = False
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_RESULT_ACCEPT_CONTENT = ["json"]
CELERY_TASK_TIME_LIMIT = env.int("CELERY_TASK_TIME_LIMIT", default=120)
CELERY_TASK_SOFT_TIME_LIMIT = env.int("CELERY_TASK_SOFT_TIME_LIMIT", default=90)
# Must exceed the longest task (time limit 120 s): Redis re-delivers unacked messages after it.
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT", default=3600),
    "socket_connect_timeout": 2,
    "socket_timeout": 10,
    "retry_on_timeout": True,
}
CELERY_TASK_PUBLISH_RETRY = True
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": 3,
    "interval_start": 0,
    "interval_step": 0.2,
    "interval_max": 1,
}
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BROKER_CONNECTION_MAX_RETRIES = None  # workers wait for the broker forever
CELERY_WORKER_SEND_TASK_EVENTS = False
CELERY_TASK_DEFAULT_QUEUE = env.str("CELERY_QUEUE", default="casetracker")
# Webhook deliveries wait on receivers: they have their own queue, consumed by a worker with a
# thread pool (Procfile `webhooks`), so relays and alerts never queue behind slow receivers.
CELERY_WEBHOOK_QUEUE = env.str("CELERY_WEBHOOK_QUEUE", default="webhooks")
CELERY_TASK_ROUTES = {
    "alerts.tasks.deliver_webhook": {"queue": CELERY_WEBHOOK_QUEUE},
    "alerts.tasks.deliver_webhooks": {"queue": CELERY_WEBHOOK_QUEUE},
}

# Pipeline (alerts/, alerts/outbox.py): sweeps find what a lost kick missed.
OUTBOX_KICKS = env.bool("OUTBOX_KICKS", default=True)  # off: rely on the sweeps alone
OUTBOX_SWEEP_SECONDS = env.float("OUTBOX_SWEEP_SECONDS", default=10.0)
OUTBOX_SWEEP_BATCH = env.int("OUTBOX_SWEEP_BATCH", default=50)
# The task a committed Event kicks (core/kicks.py); the sweep covers a lost kick.
OUTBOX_RELAY_TASK = "alerts.tasks.relay_event"
OUTBOX_CONSUMERS = {
    "alerts": "alerts.flags.raise_for_events",
    "webhooks": "alerts.webhooks.fan_out",
}
DELIVERY_SWEEP_SECONDS = env.float("DELIVERY_SWEEP_SECONDS", default=10.0)
# A first attempt (webhook or email) was kicked when queued; the sweep hands it out only
# once it is this old, so a backlog is not queued twice.
KICK_GRACE_SECONDS = env.float("KICK_GRACE_SECONDS", default=60.0)
CANARY_SECONDS = env.float("CANARY_SECONDS", default=30.0)
CHECKS_SECONDS = env.float("CHECKS_SECONDS", default=3600.0)
DIGEST_HOUR_UTC = env.int("DIGEST_HOUR_UTC", default=7)
# The address users reach the site at: emails link to it (an alert's record).
SITE_URL = env.str("SITE_URL", default="http://localhost:8000").rstrip("/")
# Periodic checks' thresholds, in days.
CHECK_NOTICE_PENDING_DAYS = env.int("CHECK_NOTICE_PENDING_DAYS", default=90)
CHECK_WARRANT_CHALLENGED_DAYS = env.int("CHECK_WARRANT_CHALLENGED_DAYS", default=180)
CHECK_CASE_DORMANT_DAYS = env.int("CHECK_CASE_DORMANT_DAYS", default=365)
# Hearings and deadlines are reminded of this many days ahead (alerts.reminders), unless the
# record says otherwise; beat looks every REMINDERS_SECONDS (a reminder is sent once).
REMINDER_DAYS_BEFORE = env.int("REMINDER_DAYS_BEFORE", default=7)
REMINDERS_SECONDS = env.float("REMINDERS_SECONDS", default=3600.0)
# Email retries (seconds after each failure); then the notification is given up.
EMAIL_RETRY_SCHEDULE = env.list(
    "EMAIL_RETRY_SCHEDULE", cast=float, default=[60, 300, 1800, 7200, 21600]
)
# Webhooks (domain.md §4). Retry delays (seconds after each failed attempt, +/- jitter):
# about three days in all, then the delivery is given up.
WEBHOOK_RETRY_SCHEDULE = env.list(
    "WEBHOOK_RETRY_SCHEDULE",
    cast=float,
    default=[5, 30, 120, 600, 1800, 3600, 7200, 14400, 28800, 43200, 43200, 43200, 43200, 43200],
)
WEBHOOK_RETRY_JITTER = env.float("WEBHOOK_RETRY_JITTER", default=0.2)
WEBHOOK_TIMEOUT = env.float("WEBHOOK_TIMEOUT", default=10.0)
WEBHOOK_KICK_BATCH = env.int("WEBHOOK_KICK_BATCH", default=1)  # deliveries per kicked task
WEBHOOK_DISABLE_AFTER_FAILURES = env.int("WEBHOOK_DISABLE_AFTER_FAILURES", default=50)
WEBHOOK_SECRET_OVERLAP_HOURS = env.float("WEBHOOK_SECRET_OVERLAP_HOURS", default=24.0)
WEBHOOK_RESPONSE_KEEP_CHARS = 1000
# Local use only: let webhooks reach private and loopback addresses.
WEBHOOKS_ALLOW_PRIVATE = env.bool("WEBHOOKS_ALLOW_PRIVATE", default=False)
# The INTERPOL watch (alerts/interpol.py, docs/operations.md): INTERPOL's public notices
# web service, polled every INTERPOL_SYNC_INTERVAL seconds by beat.
INTERPOL_API_BASE = env.str("INTERPOL_API_BASE", default="https://ws-public.interpol.int")
INTERPOL_SYNC_INTERVAL = env.float("INTERPOL_SYNC_INTERVAL", default=3600.0)
INTERPOL_TIMEOUT = env.float("INTERPOL_TIMEOUT", default=15.0)
INTERPOL_MAX_RETRIES = env.int("INTERPOL_MAX_RETRIES", default=4)
INTERPOL_BACKOFF_SECONDS = env.float("INTERPOL_BACKOFF_SECONDS", default=2.0)
INTERPOL_BACKOFF_MAX = env.float("INTERPOL_BACKOFF_MAX", default=120.0)
# A sync waits out back-offs: longer than CELERY_TASK_TIME_LIMIT allows other tasks.
INTERPOL_SYNC_TIME_LIMIT = env.int("INTERPOL_SYNC_TIME_LIMIT", default=1800)
# Name similarity (parties.names.similarity, 0-1) from which a public red notice is a
# possible match of an accused person.
INTERPOL_MATCH_THRESHOLD = env.float("INTERPOL_MATCH_THRESHOLD", default=0.6)

# Exactly one beat process runs this (docs/operations.md). A sweep that could
# not run in time expires rather than piling up behind a stopped worker.
CELERY_BEAT_SCHEDULE = {
    "outbox-sweep": {
        "task": "alerts.tasks.relay_sweep",
        "schedule": OUTBOX_SWEEP_SECONDS,
        "options": {"expires": max(OUTBOX_SWEEP_SECONDS, 1)},
    },
    "deliveries-sweep": {
        "task": "alerts.tasks.deliveries_sweep",
        "schedule": DELIVERY_SWEEP_SECONDS,
        "options": {"expires": max(DELIVERY_SWEEP_SECONDS, 1)},
    },
    "canary": {
        "task": "alerts.tasks.canary",
        "schedule": CANARY_SECONDS,
        "options": {"expires": max(CANARY_SECONDS, 1)},
    },
    "webhooks-canary": {
        "task": "alerts.tasks.canary",
        "schedule": CANARY_SECONDS,
        "kwargs": {"name": "webhooks"},
        "options": {"expires": max(CANARY_SECONDS, 1), "queue": CELERY_WEBHOOK_QUEUE},
    },
    "periodic-checks": {
        "task": "alerts.tasks.run_checks",
        "schedule": CHECKS_SECONDS,
        "options": {"expires": max(CHECKS_SECONDS, 1)},
    },
    "interpol-sync": {
        "task": "alerts.tasks.sync_interpol",
        "schedule": INTERPOL_SYNC_INTERVAL,
        "options": {"expires": max(INTERPOL_SYNC_INTERVAL, 1)},
    },
    "sources-sweep": {
        "task": "core.tasks.extract_pending_sources",
        "schedule": SOURCES_SWEEP_SECONDS,
        "options": {"expires": max(SOURCES_SWEEP_SECONDS, 1)},
    },
    "reminders": {
        "task": "alerts.tasks.send_reminders",
        "schedule": REMINDERS_SECONDS,
        "options": {"expires": max(REMINDERS_SECONDS, 1)},
    },
    "daily-digest": {
        "task": "alerts.tasks.send_digests",
        "schedule": crontab(minute=0, hour=DIGEST_HOUR_UTC),
    },
}

# The API (docs/api.md). Plumbing lives in api/.
REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "api.schema.AutoSchema",
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "api.authentication.ApiKeyAuthentication",
        "api.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["api.permissions.Authenticated"],
    "DEFAULT_RENDERER_CLASSES": ["api.renderers.OrjsonRenderer"],
    "DEFAULT_CONTENT_NEGOTIATION_CLASS": "api.negotiation.FormatNegotiation",
    "DEFAULT_PARSER_CLASSES": ["api.parsers.JSONParser"],
    "DEFAULT_PAGINATION_CLASS": "api.pagination.CursorPagination",
    "EXCEPTION_HANDLER": "api.problems.exception_handler",
    "DEFAULT_THROTTLE_CLASSES": [
        "api.throttles.ApiKeyThrottle",
        "api.throttles.UserThrottle",
        "api.throttles.AnonThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "api_key": env.str("API_THROTTLE_KEY", default="1200/min"),
        "user": env.str("API_THROTTLE_USER", default="2400/min"),
        "anon": env.str("API_THROTTLE_ANON", default="120/min"),
    },
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
    "COERCE_DECIMAL_TO_STRING": False,
}
# Request bodies above this are refused (413) before parsing.
DATA_UPLOAD_MAX_MEMORY_SIZE = env.int("DATA_UPLOAD_MAX_MEMORY_SIZE", default=1024 * 1024)
SPECTACULAR_SETTINGS = {
    "TITLE": "casetracker API",
    "DESCRIPTION": "Cases, parties, warrants and INTERPOL notices: status, transitions and a "
    "change feed. Errors are application/problem+json (RFC 9457). See docs/api.md.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
    "COMPONENT_NO_READ_ONLY_REQUIRED": False,
    "ENUM_GENERATE_CHOICE_DESCRIPTION": False,
    "ENUM_NAME_OVERRIDES": {
        "CountryEnum": "django_countries.countries",
        "WarrantKindEnum": "warrants.models.WarrantKind",
        "NoticeKindEnum": "warrants.models.NoticeKind",
        "PartyKindEnum": "parties.models.PartyKind",
        "SeverityEnum": "alerts.models.Severity",
        "ProceedingKindEnum": "warrants.proceedings.ProceedingKind",
        "DeadlineKindEnum": "warrants.proceedings.DeadlineKind",
        "SourceKindEnum": "core.sources.SourceKind",
        "AttachableResourceEnum": "api.sources.ATTACHABLE_KINDS",
    },
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
}


LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
}

if not DEBUG:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_CONTENT_TYPE_NOSNIFF = True

# Parallel test runs (several checkouts on one machine) each name their own test database.
DATABASES["default"]["TEST"] = {"NAME": env.str("TEST_DATABASE_NAME", default="test_casetracker")}

# The admin's history view shows who, through what and from which request.
# Reads change no audited row: only writes open an audit context (whose set_config
# pghistory prepends to every statement while it is open).
PGHISTORY_MIDDLEWARE_METHODS = ("POST", "PUT", "PATCH", "DELETE")
PGHISTORY_ADMIN_LIST_DISPLAY = [
    "pgh_created_at",
    "pgh_label",
    "pgh_obj_model",
    "pgh_obj_id",
    "pgh_diff",
    "pgh_context",
]
