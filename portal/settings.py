"""One settings module, driven by environment variables.

The embedded default (no variables at all) runs on SQLite with the deadline sweep
in-process. With DATABASE_URL and REDIS_URL it runs on PostgreSQL with Celery on
Redis. PORTAL_ENV=production refuses to start half-configured: without SECRET_KEY
(a strong one), ALLOWED_HOSTS, DATABASE_URL, REDIS_URL or SITE_URL it stops and
names what is missing (README, "Production").
"""

import re
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF

from portal.env import ImproperEnv, env_bool, env_float, env_int, env_list, env_str, env_weights, secret_key_weakness

BASE_DIR = Path(__file__).resolve().parent.parent

PORTAL_ENV = env_str("PORTAL_ENV", "development")
if PORTAL_ENV not in {"development", "test", "production"}:
    raise ImproperEnv(f"PORTAL_ENV={PORTAL_ENV!r} must be development, test or production")
PRODUCTION = PORTAL_ENV == "production"

SECRET_KEY = env_str("SECRET_KEY")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS")
DATABASE_URL = env_str("DATABASE_URL")
REDIS_URL = env_str("REDIS_URL")
SITE_URL = env_str("SITE_URL")
if PRODUCTION:
    # Without Redis, Celery would run eagerly with no beat (no sweep under gunicorn) and
    # every process would keep its own cache, lockout and throttle counts; without
    # SITE_URL formal documents would print a QR code pointing at 127.0.0.1.
    missing = [
        name
        for name, value in (
            ("SECRET_KEY", SECRET_KEY),
            ("ALLOWED_HOSTS", ALLOWED_HOSTS),
            ("DATABASE_URL", DATABASE_URL),
            ("REDIS_URL", REDIS_URL),
            ("SITE_URL", SITE_URL),
        )
        if not value
    ]
    if missing:
        raise ImproperEnv("PORTAL_ENV=production needs " + ", ".join(missing) + " (README, 'Production')")
    weakness = secret_key_weakness(SECRET_KEY)
    if weakness:
        raise ImproperEnv(f"SECRET_KEY {weakness}; production needs a strong one, e.g. the output of "
                          "python -c 'import secrets; print(secrets.token_urlsafe(50))'")
    if not SITE_URL.startswith(("https://", "http://")):
        raise ImproperEnv(f"SITE_URL={SITE_URL!r} must be an absolute http(s) URL")
else:
    SECRET_KEY = SECRET_KEY or "embedded-development-key-not-for-production"
    ALLOWED_HOSTS = ALLOWED_HOSTS or ["127.0.0.1", "localhost", "testserver"]
    SITE_URL = SITE_URL or "http://127.0.0.1:8000"

DEBUG = env_bool("DEBUG", default=not PRODUCTION and PORTAL_ENV != "test")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_fsm",
    "django_htmx",
    "axes",
    "csp",
    "health_check",
    "django_prometheus",
    "portal.organisation",
    "portal.workcalendar",
    "portal.catalogue",
    "portal.audit",
    "portal.api",
    "portal.notifications",
    "portal.operations",
    "supervision",
    "inquiries",
    "public",
    "approvals",
    "complaints",
    "accountability",
    "payments",
    "centers",
    "projects",
    "attendance",
    "appraisal",
]

MIDDLEWARE = [
    "django_prometheus.middleware.PrometheusBeforeMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "portal.web.middleware.ChineseFirstMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "portal.api.hostile.HostileRequestMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",
    "portal.web.middleware.DomainErrorMiddleware",
    "django_prometheus.middleware.PrometheusAfterMiddleware",
]

ROOT_URLCONF = "portal.urls"
WSGI_APPLICATION = "portal.wsgi.application"

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
                "portal.organisation.context_processors.staff_badge",
                "public.navigation.navigation",
                "public.personal.personal",
                "supervision.context_processors.stale_sweep",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        DATABASE_URL or f"sqlite:///{BASE_DIR / 'var' / 'portal.sqlite3'}",
        conn_max_age=env_int("DB_CONN_MAX_AGE", 0),
        # A kept connection is checked before a request uses it (PostgreSQL restarted meanwhile).
        conn_health_checks=True,
    )
}
# The embedded default's SQLite is shared by the web threads, the in-process sweep and the audit
# sealer. In SQLite's default (deferred) mode a transaction that read first and writes later fails
# at once with "database is locked" when another thread wrote meanwhile (waiting could deadlock, so
# SQLite does not wait); a person then got a 503 for assigning a complaint while the sweep ran.
# Every transaction takes the write lock when it begins instead (so it waits its turn, up to
# ``timeout`` seconds), and WAL lets reads go on beside the one writer.
SQLITE_OPTIONS = {"transaction_mode": "IMMEDIATE", "timeout": 20,
                  "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"}
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    DATABASES["default"]["OPTIONS"] = {**SQLITE_OPTIONS, **DATABASES["default"].get("OPTIONS", {})}
    # Django's backend, with an integer too large for SQLite refused as PostgreSQL refuses it
    # (portal/db/sqlite3/base.py: a DataError, not a server error).
    DATABASES["default"]["ENGINE"] = "portal.db.sqlite3"
    # Tests on SQLite run in memory, as Django does for its own engine name (pytest-django knows
    # only that name and would otherwise give each xdist worker a file named after the path).
    DATABASES["default"].setdefault("TEST", {}).setdefault("NAME", ":memory:")
# PostgreSQL's parallel query for the portal's own connections: off by default. The portal's
# statements are short (index scans, counts over partial indexes of the open stages); when the
# planner overestimates one (the supervisors' "open and overdue" count, estimated at 113,000 rows
# of a million-application database and finding none) it launches a parallel worker, a new
# process per statement: 10 ms alone and 100-480 ms under load, where the serial plan takes 0.1 ms.
# A database server with cores to spare for the rollup's year-long aggregations may raise it.
DB_PARALLEL_WORKERS = env_int("DB_PARALLEL_WORKERS", 0)
# PostgreSQL's JIT compilation, likewise off unless told. It starts when a plan's estimated cost
# passes jit_above_cost; the supervisors' period statement on its generic plan for a township
# (estimates of whole tables, finding a handful of rows) crossed it and spent 90-104 ms compiling
# 98 functions to run in under 1 ms (EXPLAIN ANALYZE at a million applications).
DB_JIT = env_bool("DB_JIT", False)
if DATABASES["default"]["ENGINE"].endswith("postgresql"):
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = \
        f"-c max_parallel_workers_per_gather={DB_PARALLEL_WORKERS} -c jit={'on' if DB_JIT else 'off'}"
    # Django's backend, with the health check asking the socket before the server
    # (portal/db/postgresql/base.py: no SELECT 1 per request on a session still open).
    DATABASES["default"]["ENGINE"] = "portal.db.postgresql"
# The few statements nearly every request sends (portal.prepared: the API token with its user,
# an application's row lock) are prepared on each PostgreSQL session (PREPARE / EXECUTE), so the
# server parses and plans them once per connection instead of on every call (the token's 0.55 ms
# of server time fell to 0.19). Off behind a connection pooler in transaction mode (PgBouncer
# before 1.21), whose server sessions do not stay with one client.
DB_SERVER_PREPARE = env_bool("DB_SERVER_PREPARE", True)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "workbench"
LOGOUT_REDIRECT_URL = "home"

# Login throttling (django-axes): after 5 failures for one username from one address
# the account is locked for 15 minutes; the API answers 429, the page says so.
AXES_ENABLED = env_bool("AXES_ENABLED", True)
# In production the failure counts live in the shared cache (Redis), like DRF's throttles
# (sign-in is refused while Redis is unreachable, portal.lockout);
# the embedded default keeps them in the database.
AXES_HANDLER = env_str("AXES_HANDLER", "portal.lockout.KeptCacheHandler" if PRODUCTION
                       else "axes.handlers.database.AxesDatabaseHandler")
AXES_CACHE = "default"
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = 0.25  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_CALLABLE = "portal.lockout.lockout_response"
AXES_RESET_ON_SUCCESS = True
# Client addresses (portal.api.client.client_ip), for the lockout and the API throttles alike:
# X-Forwarded-For is believed only through this many proxies in front of the app (0: ignored).
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)
if TRUSTED_PROXY_COUNT < 0:
    raise ImproperEnv(f"TRUSTED_PROXY_COUNT={TRUSTED_PROXY_COUNT} must be 0 or more")
AXES_CLIENT_IP_CALLABLE = "portal.api.client.client_ip"
AXES_VERBOSE = False

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = env_str("TIME_ZONE", "Asia/Shanghai")
USE_TZ = True

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = BASE_DIR / "var" / "staticfiles"
STORAGES = {
    # Uploads live outside static and are only served through a view that checks
    # the reader's permission. An S3-compatible backend (django-storages) can be
    # configured here for a multi-host deployment.
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
# Without collectstatic (the embedded default) whitenoise serves from the finders.
WHITENOISE_USE_FINDERS = not PRODUCTION
WHITENOISE_AUTOREFRESH = DEBUG
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(BASE_DIR / "var" / "uploads")))
MEDIA_URL = None
UPLOAD_MAX_BYTES = env_int("UPLOAD_MAX_BYTES", 20 * 1024 * 1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
# The API's JSON parser refuses bodies nested deeper than this (portal.api.parsers).
API_JSON_MAX_DEPTH = env_int("API_JSON_MAX_DEPTH", 32)
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440

# HTTPS in production: redirect, HSTS, cookies only over TLS. Behind a TLS-terminating
# proxy, SECURE_PROXY_SSL_HEADER names the header that proxy sets (e.g. X-Forwarded-Proto)
# and nothing else may set it: only then does Django trust it. /health/ and /metrics are
# exempt from the redirect so that probes inside the network can use plain HTTP.
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", PRODUCTION)
SECURE_REDIRECT_EXEMPT = [r"^health/", r"^metrics$"]
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31_536_000 if PRODUCTION else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", PRODUCTION)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
_proxy_ssl_header = env_str("SECURE_PROXY_SSL_HEADER")
SECURE_PROXY_SSL_HEADER = (
    ("HTTP_" + _proxy_ssl_header.upper().replace("-", "_"), "https") if _proxy_ssl_header else None
)
SESSION_COOKIE_SECURE = PRODUCTION
CSRF_COOKIE_SECURE = PRODUCTION
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
# Sessions live in the database (shared by every web process); the cache is Redis.
SESSION_ENGINE = "django.contrib.sessions.backends.db"

# Content-Security-Policy (django-csp): scripts, styles, images and fonts only from this
# site; no inline script, no inline event handler, no inline style attribute (JS and CSS
# live in static/). The API docs page alone allows inline styles (portal/api/urls.py).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # Token first, so that an anonymous request gets 401 with WWW-Authenticate.
        "portal.api.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "portal.api.schema.PortalAutoSchema",
    "EXCEPTION_HANDLER": "portal.api.errors.exception_handler",
    "DEFAULT_PARSER_CLASSES": [
        "portal.api.parsers.BoundedJSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_PAGINATION_CLASS": "portal.pagination.BoundedLimitOffsetPagination",
    "PAGE_SIZE": 50,
    "NUM_PROXIES": TRUSTED_PROXY_COUNT,
    "DEFAULT_THROTTLE_RATES": {
        "auth": env_str("AUTH_THROTTLE_RATE", "20/min"),
        "track": env_str("TRACK_THROTTLE_RATE", "60/min"),
    },
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Service-center portal API",
    "DESCRIPTION": "政务服务中心 REST API (SPEC §6).",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "GET_LIB_DOC_EXCLUDES": "portal.api.schema.doc_excludes",
    # Two choice sets of appraisal.RespondentKind (all kinds; the two a supervisor designates).
    "ENUM_NAME_OVERRIDES": {
        "RespondentKindEnum": "appraisal.models.RespondentKind",
        "DesignatedKindEnum": "appraisal.api.DESIGNATED_KINDS",
        "VisitKindEnum": "supervision.models.VisitKind",
        "IntermediaryKindEnum": "portal.catalogue.models.IntermediaryKind",
    },
}

CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = None
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ALWAYS_EAGER = REDIS_URL is None
# max_retries 0: a publish that finds the broker gone fails at once instead of trying again
# within broker_connection_timeout (2 + 4 s: the outbox nudge held a sweep in a worker whose
# Redis was away for 7 s a round). Publishing with retry (beat) retries by its own policy; the
# worker's consumer reconnects by its own (portal.celery.QuickReconnectConsumer).
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600, "max_retries": 0}
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_DEFAULT_QUEUE = env_str("CELERY_QUEUE", "celery")
# A worker that lost the broker tries again this often (portal.celery.QuickReconnectConsumer).
CELERY_WORKER_CONSUMER = "portal.celery:QuickReconnectConsumer"
CELERY_BROKER_RECONNECT_SECONDS = env_float("BROKER_RECONNECT_SECONDS", 0.5)
# ... for as long as it takes (at 0.5 s a try, Celery's default of 100 tries would stop the
# worker after 50 s of a broker outage).
CELERY_BROKER_CONNECTION_MAX_RETRIES = None
DEADLINE_SWEEP_SECONDS = env_int("DEADLINE_SWEEP_SECONDS", 5)
DEADLINE_SWEEP_TASK = "approvals.tasks.enforce_deadlines"
# ... and between its tries it sweeps the deadlines itself, every sweep interval, and sends the
# mail the sweep (and everyone else) committed: the law does not wait for Redis, and no backlog
# of mail is left to hold up the first sweeps when Redis is back (portal.celery.BrokerAwayDuties).
CELERY_WORKER_WHILE_BROKER_AWAY = {DEADLINE_SWEEP_TASK: float(DEADLINE_SWEEP_SECONDS),
                                   "portal.notifications.tasks.drain_outbox": float(DEADLINE_SWEEP_SECONDS)}
DEADLINE_SWEEP_BATCH = env_int("DEADLINE_SWEEP_BATCH", 1000)
# When more than a batch is due, that many threads (each with its own connection) sweep it
# together; SKIP LOCKED shares the rows out. SQLite has one writer, so one thread there.
DEADLINE_SWEEP_WORKERS = env_int("DEADLINE_SWEEP_WORKERS",
                                 2 if DATABASES["default"]["ENGINE"].endswith("postgresql") else 1)
# The steps of the one sweep (portal.sweep), in order: each module has STEPS = [(name, step(now, batch))]
# and may name in PARALLEL_STEPS those whose backlog several threads may work off together.
DEADLINE_STEP_MODULES: list[str] = [
    "approvals.deadlines", "approvals.referral_alerts", "approvals.intermediary_alerts", "approvals.pre_review_alerts",
    "complaints.deadlines", "inquiries.deadlines", "accountability.deadlines", "supervision.deadlines",
    "approvals.inaction", "accountability.escalation", "accountability.undecided", "attendance.deadlines",
]
# 全程留痕 (portal.audit.services): writers append blocks without a shared lock; the sealer
# chains them after each commit, after each sweep and on this schedule, and appends a signed
# checkpoint of the chain head to the anchor file (append-only; keep it off the database's disk).
AUDIT_SEAL_SECONDS = env_int("AUDIT_SEAL_SECONDS", 2)
# A busy process seals after its commits at most this often (the seal takes every committed block).
AUDIT_SEAL_COALESCE_SECONDS = env_float("AUDIT_SEAL_COALESCE_SECONDS", 1.0)
AUDIT_ANCHOR_PATH = Path(env_str("AUDIT_ANCHOR_PATH", str(BASE_DIR / "var" / "audit-anchors.log")))
# The key signing the checkpoints; without it, one derived from SECRET_KEY (set it to keep
# old checkpoints verifiable across a SECRET_KEY rotation).
AUDIT_ANCHOR_KEY = env_str("AUDIT_ANCHOR_KEY", "")
# Blocks left unsealed longer than this turn /health/ red (the sealer is not running: the
# trail is written but not chained; verify_audit still checks the rows within each block).
AUDIT_SEAL_STALE_SECONDS = env_int("AUDIT_SEAL_STALE_SECONDS", max(120, 12 * AUDIT_SEAL_SECONDS))
# A sweep older than this turns /health/ red and shows supervisors a banner.
SWEEP_STALE_SECONDS = env_int("SWEEP_STALE_SECONDS", max(60, 6 * DEADLINE_SWEEP_SECONDS))

# The outbox (portal.notifications): re-polled by beat, retried with exponential backoff,
# "failed" after the last attempt (the admin lists those and resends them).
OUTBOX_POLL_SECONDS = env_int("OUTBOX_POLL_SECONDS", 30)
OUTBOX_MAX_ATTEMPTS = env_int("OUTBOX_MAX_ATTEMPTS", 6)
OUTBOX_RETRY_SECONDS = env_int("OUTBOX_RETRY_SECONDS", 60)
OUTBOX_RETRY_MAX_SECONDS = env_int("OUTBOX_RETRY_MAX_SECONDS", 3600)
OUTBOX_LEASE_SECONDS = env_int("OUTBOX_LEASE_SECONDS", 600)

# Additions to the demo world of SPEC §7, each a function returning counts (seed_demo runs them
# after the world itself): named by string, so the command's app imports none of them.
DEMO_SEED_ADDITIONS: list[str] = ["supervision.demo.demo_additions_seed", "appraisal.demo.demo_appraisal_seed"]
# seed_demo --history (make run): a believable last month for the supervision pages.
DEMO_HISTORY = "supervision.demo_history.demo_history_seed"
CELERY_BEAT_SCHEDULE = {
    "enforce-deadlines": {
        "task": DEADLINE_SWEEP_TASK,
        "schedule": float(DEADLINE_SWEEP_SECONDS),
        "options": {"expires": float(DEADLINE_SWEEP_SECONDS)},
    },
    "seal-audit-trail": {
        "task": "portal.audit.tasks.seal_audit_trail",
        "schedule": float(AUDIT_SEAL_SECONDS),
        "options": {"expires": float(AUDIT_SEAL_SECONDS)},
    },
    "drain-outbox": {
        "task": "portal.notifications.tasks.drain_outbox",
        "schedule": float(OUTBOX_POLL_SECONDS),
        "options": {"expires": float(OUTBOX_POLL_SECONDS)},
    },
}
# Any number of beats may run: celery-redbeat keeps the schedule in Redis and lets only the
# holder of its lock send; a standby takes over when the holder's lock expires (a killed
# beat is replaced within BEAT_LOCK_SECONDS plus one sweep interval).
if REDIS_URL:
    CELERY_BEAT_SCHEDULER = "portal.beat.KeptScheduler"
    CELERY_REDBEAT_REDIS_URL = REDIS_URL
    CELERY_REDBEAT_KEY_PREFIX = env_str("BEAT_KEY_PREFIX", "redbeat:")
    CELERY_REDBEAT_LOCK_TIMEOUT = env_int("BEAT_LOCK_SECONDS", 30)
    CELERY_BEAT_MAX_LOOP_INTERVAL = min(DEADLINE_SWEEP_SECONDS, 5)

CACHES = {
    "default": (
        # portal.cache: a miss instead of an error while Redis is unreachable (the web keeps
        # answering from the database); a dead host is given up on after half a second.
        {"BACKEND": "portal.cache.KeptRedisCache", "LOCATION": REDIS_URL,
         "OPTIONS": {"socket_connect_timeout": env_float("CACHE_CONNECT_TIMEOUT", 0.5),
                     "socket_timeout": env_float("CACHE_TIMEOUT", 1.0)},
         # Each pytest-xdist worker of each test run keeps its own keys: a test clearing the cache
         # must not wipe the throttle counts or the cached catalogue of a test running at the same
         # time in the other worker, nor in another test run sharing this Redis database.
         "KEY_PREFIX": "portal" + env_str("PYTEST_XDIST_TESTRUNUID", "")[:12] + env_str("PYTEST_XDIST_WORKER", "")}
        if REDIS_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}

# 一个窗口收费: the online payment provider's adapter (payments.providers); the simulator
# (the portal's own payment page, signed callbacks) until a real provider is configured.
PAYMENT_PROVIDER = env_str("PAYMENT_PROVIDER", "payments.providers.SimulatorProvider")

EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "portal@service-center.invalid")
# SMS, the outbox's second channel (portal.notifications.channels): the console in
# development, a file, or the HTTP adapter for the operator's gateway.
SMS_BACKEND = env_str("SMS_BACKEND", "portal.notifications.channels.ConsoleSmsBackend")
SMS_FILE_PATH = env_str("SMS_FILE_PATH", str(BASE_DIR / "var" / "sms.jsonl"))
SMS_GATEWAY_URL = env_str("SMS_GATEWAY_URL", "")
SMS_GATEWAY_TOKEN = env_str("SMS_GATEWAY_TOKEN", "")
SMS_GATEWAY_TIMEOUT = env_int("SMS_GATEWAY_TIMEOUT", 10)
SMS_SIGNATURE = env_str("SMS_SIGNATURE", "【政务服务中心】")
# Applicant events also sent by SMS to the application's mobile number.
SMS_EVENTS = env_list("SMS_EVENTS", ["correction_requested", "not_accepted"])

# /metrics (django-prometheus): request and database metrics plus the gauges of
# portal.operations.metrics and of these collectors, each computed at most once per
# METRICS_CACHE_SECONDS whatever the scrape rate.
METRICS_COLLECTORS = ["approvals.metrics.open_stages_by_alert"]
METRICS_CACHE_SECONDS = env_int("METRICS_CACHE_SECONDS", 15)
METRICS_TOKEN = env_str("METRICS_TOKEN", "")

# Limits of the intake rules (SPEC §2): deemed acceptance after 5 working days.
DEEMED_ACCEPTANCE_WORKING_DAYS = env_int("DEEMED_ACCEPTANCE_WORKING_DAYS", 5)
# 好差评: a bad rating's follow-up by the handling unit is due in 5 working days.
EVALUATION_FOLLOW_UP_WORKING_DAYS = env_int("EVALUATION_FOLLOW_UP_WORKING_DAYS", 5)
# 提前介入 预审: the center answers a pre-review within this many working days (yellow and red
# alerts as for every clock); the application's own clock starts only at its formal submission.
PRE_REVIEW_WORKING_DAYS = env_int("PRE_REVIEW_WORKING_DAYS", 3)
# 首问负责制 (SPEC §2): the owner answers within 1 working day, a referred department within 3.
INQUIRY_ANSWER_DAYS = env_int("INQUIRY_ANSWER_DAYS", 1)
INQUIRY_REFERRAL_DAYS = env_int("INQUIRY_REFERRAL_DAYS", 3)
# 行政不作为: a red alert left without a decision this many working days opens a case.
INACTION_GRACE_WORKING_DAYS = env_int("INACTION_GRACE_WORKING_DAYS", 2)
# 问责延伸: this many cases in one department within 12 months propose a case against the
# leader in charge; the second number against the principal (一把手).
ESCALATION_LEADER_CASES = env_int("ESCALATION_LEADER_CASES", 3)
ESCALATION_PRINCIPAL_CASES = env_int("ESCALATION_PRINCIPAL_CASES", 6)
# 责任追究落实不到位: a case still undecided this many working days after it was opened is
# escalated to the head of the discipline office (the department with this code), once.
CASE_DECISION_WORKING_DAYS = env_int("CASE_DECISION_WORKING_DAYS", 20)
DISCIPLINE_DEPARTMENT_CODE = env_str("DISCIPLINE_DEPARTMENT_CODE", "DISCIPLINE")
# 书面说明和整改报告: the principal (主要负责人) of a department with a substantiated complaint
# reports in writing within this many working days; a missing report is a case ground.
RECTIFICATION_REPORT_WORKING_DAYS = env_int("RECTIFICATION_REPORT_WORKING_DAYS", 10)
# 绩效考评: the points an accountability case opened, a substantiated complaint of a broken
# service commitment (服务承诺), and each sanction decided (by its step of the ladder, SPEC §4)
# take off the assessment score of 100 of the official concerned and of his department for
# the period (supervision.assessment). Override any of them with
# ASSESSMENT_WEIGHTS="case_opened=2,admonishment=5".
ASSESSMENT_WEIGHTS = env_weights("ASSESSMENT_WEIGHTS", {
    "case_opened": 1, "commitment_breach": 1, "efficiency_warning": 2, "admonishment": 4, "circulated_criticism": 6,
    "removal_from_post": 10, "disciplinary_referral": 15,
})
# 考勤: the working day begins at this local time; a check-in after it is late.
WORKDAY_START = env_str("WORKDAY_START", "09:00")
if not re.fullmatch(r"([01]\d|2[0-3]):[0-5]\d", WORKDAY_START):
    raise ImproperEnv(f"WORKDAY_START={WORKDAY_START!r} must be HH:MM")

# Production logs one JSON object a line (python-json-logger) for the log collector.
LOG_FORMAT = env_str("LOG_FORMAT", "json" if PRODUCTION else "text")
if LOG_FORMAT not in {"json", "text"}:
    raise ImproperEnv(f"LOG_FORMAT={LOG_FORMAT!r} must be json or text")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "json": {"()": "pythonjsonlogger.json.JsonFormatter",
                 "fmt": "%(asctime)s %(levelname)s %(name)s %(process)d %(message)s",
                 "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"}},
        "text": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": LOG_FORMAT}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {"axes": {"level": "WARNING"}, "fontTools": {"level": "WARNING"}},
}
