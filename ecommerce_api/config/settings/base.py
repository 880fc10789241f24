"""Settings shared by every environment; each one is read from the environment where it varies.

``local``, ``test`` and ``production`` import this module and override what differs.
"""

import re
from datetime import timedelta
from pathlib import Path

import django_stubs_ext
import environ
from csp import constants as csp
from django.core.exceptions import ImproperlyConfigured

# Django's generic classes (ModelAdmin[Product], QuerySet[Order]...) accept the type parameters
# django-stubs declares, once this patch is applied. DRF's are patched in accounts/apps.py.
django_stubs_ext.monkeypatch()

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()

DEBUG = False
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"])

INSTALLED_APPS = [
    "config.apps.ShopAdminConfig",  # django.contrib.admin with the project's site (config/admin.py)
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "axes",
    # Product photo sizes (catalog.models.ProductImage).
    "imagekit",
    # Background tasks (Django 6.0's Tasks API, backported) and the database queue, whose table
    # exists whichever backend runs (so switching to RQ needs no migration); with REDIS_URL,
    # RQ's apps are added below ("Background tasks").
    "django_tasks",
    "django_tasks_db",
    "config.apps.ProjectConfig",
    "accounts",
    "catalog",
    "orders",
    "cart",
    "notifications",
    "alerts",
    "demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # A database that cannot be reached: 503 with Retry-After, not a 500 (config/middleware.py).
    "config.middleware.DatabaseUnavailableMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Content-Security-Policy on every response below it: the API's pages, the admin, the docs.
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes asks: turns a request it flagged as locked out into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

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
                "csp.context_processors.nonce",
            ],
        },
    },
]

# --- Database ---------------------------------------------------------------------------------
# DATABASE_URL selects the database (e.g. postgres://user:pass@host/name); without it, a SQLite
# file inside the project folder. SQLite gets WAL and IMMEDIATE transactions so concurrent writers
# wait for the lock (up to the busy timeout) instead of failing with "database is locked".
DATABASES = {
    "default": env.db_url("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DJANGO_CONN_MAX_AGE", default=60)
# A persistent connection is checked before each request reuses it, so one that a database
# restart broke is replaced instead of failing the request.
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # A database that does not answer fails a request after 3 seconds (a clean 503, see
    # config/middleware.py) instead of holding a worker until gunicorn kills it.
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault("connect_timeout", 3)
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": (
                "PRAGMA journal_mode=WAL;"
                "PRAGMA synchronous=NORMAL;"
                "PRAGMA foreign_keys=ON;"
                "PRAGMA busy_timeout=20000;"
            ),
        }
    )

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Accounts ---------------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
# The browsable API's session login; the mobile app uses tokens (POST /api/auth/token/).
LOGIN_URL = "rest_framework:login"
LOGIN_REDIRECT_URL = "/api/"
LOGOUT_REDIRECT_URL = "/api/"

# django-axes checks the lockout before the real backend is asked about the password.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    # Django's ModelBackend, reading the session's user without composing a query (config/auth.py).
    "config.auth.ModelBackend",
]

# Login throttling (django-axes). Every password check reports to it: the token endpoint, the
# browsable API's session login, the admin's login and its "change password" (config/admin.py).
# Failures are counted in the database, not a per-process cache, so a lockout holds across every
# worker and server. Five failures for one username, or from one address, lock that username or
# address out for fifteen minutes after the last failure.
AXES_HANDLER = "axes.handlers.database.AxesDatabaseHandler"
AXES_FAILURE_LIMIT = env.int("DJANGO_AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("DJANGO_AXES_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
# A success does not reset the count: axes would delete every failure counted from the
# successful client's address, whichever username they were against, so anyone with an account
# of their own could guess at another's password four times, log in, and start again.
AXES_RESET_ON_SUCCESS = False
# A locked-out login form gets a page saying so (429, Retry-After); the token endpoint answers in
# the API's error shape itself (accounts/lockout.py).
AXES_LOCKOUT_CALLABLE = "accounts.lockout.lockout_response"
# The username axes records, cut to the length of its column: Django's login form leaves a
# 5,000-character username to the database, which PostgreSQL refuses (accounts/lockout.py).
AXES_USERNAME_CALLABLE = "accounts.lockout.username_for_lockout"
# The request data stored with each failure masks these (axes always masks "password"; the
# first two are its defaults).
AXES_SENSITIVE_PARAMETERS = [
    "username",
    "ip_address",
    "old_password",
    "new_password1",
    "new_password2",
]
# accounts/admin.py registers axes' admin classes with the project's bounded changelists.
AXES_ENABLE_ADMIN = False
# The address a lockout or throttle counts is config.client_ip.client_ip: REMOTE_ADDR, whatever
# headers the client sends, unless the deployment says how many proxies in front of it append
# the client's address to X-Forwarded-For (DJANGO_TRUSTED_PROXY_COUNT=N; the Nth from the right).
TRUSTED_PROXY_COUNT = env.int("DJANGO_TRUSTED_PROXY_COUNT", default=0)
if TRUSTED_PROXY_COUNT < 0:
    raise ImproperlyConfigured("DJANGO_TRUSTED_PROXY_COUNT must be 0 or a positive number.")
AXES_CLIENT_IP_CALLABLE = "config.client_ip.client_ip"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# A password reset token (Django's default_token_generator) works for one hour, and once.
PASSWORD_RESET_TIMEOUT = 60 * 60
# The link in the reset e-mail: the app's deep link (or a web page) that sends uid and token to
# POST /api/auth/password-reset/confirm/.
PASSWORD_RESET_LINK = env.str(
    "DJANGO_PASSWORD_RESET_LINK", default="shop://password-reset?uid={uid}&token={token}"
)

# --- Internationalisation ---------------------------------------------------------------------
LANGUAGE_CODE = "en-us"
TIME_ZONE = env.str("DJANGO_TIME_ZONE", default="UTC")
USE_I18N = True
USE_TZ = True

# --- Static and media files -------------------------------------------------------------------
STATIC_URL = "static/"
STATIC_ROOT = env.path("DJANGO_STATIC_ROOT", default=BASE_DIR / "staticfiles")
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "media/"
MEDIA_ROOT = env.path("DJANGO_MEDIA_ROOT", default=BASE_DIR / "media")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# --- Sessions -------------------------------------------------------------------------------
# Django's database store, read with one statement written once per process instead of an ORM
# query composed on every request (config/sessions.py says why, and why not the cache).
SESSION_ENGINE = "config.sessions"

# --- Security defaults that hold everywhere ---------------------------------------------------
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False  # Django's default; the CSRF token is also in every form.
X_FRAME_OPTIONS = "DENY"
# A refused CSRF check answers in the API's error shape, like a 404 or a 500 (config/urls.py).
CSRF_FAILURE_VIEW = "config.api_errors.csrf_failure"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

# Content-Security-Policy (django-csp): only this site's own files run or style a page. Scripts
# need 'self' or the request's nonce (an inline <script> would carry
# nonce="{{ request.csp_nonce }}", which also puts the nonce in the header); no 'unsafe-inline',
# no 'unsafe-eval', no inline styles. Swagger UI loads its start-up script as a file of its own
# (SpectacularSwaggerSplitView), the browsable API and the admin only static files. Nothing may
# frame a page (clickjacking), and forms post only to this site.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [csp.SELF],
        "script-src": [csp.SELF, csp.NONCE],
        "style-src": [csp.SELF],
        "img-src": [csp.SELF, "data:"],
        "object-src": [csp.NONE],
        "base-uri": [csp.NONE],
        "frame-ancestors": [csp.NONE],
        "form-action": [csp.SELF],
    }
}

# --- Cache ------------------------------------------------------------------------------------
# Throttling counts requests in the cache, so it must be shared by every worker process, never
# the per-process local memory: Redis through REDIS_URL (several servers), else a table in the
# database (several workers on one machine; the accounts app's migration 0002 creates it). The
# prefix lets projects share one Redis database.
# "catalogue" holds rendered product list pages (catalog/list_cache.py) apart from the throttle
# counters: a flood of distinct list URLs culls its own table, never a counter.
# Redis is an optimisation: while it is unreachable the cache answers misses and skips writes
# (config/cache.py), the product list is served uncached and the throttled endpoints refuse
# with a 503 (config/throttles.py).
if REDIS_URL := env.str("REDIS_URL", default=""):
    CACHES = {
        "default": {
            "BACKEND": "config.cache.ResilientRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "ecommerce_api",
        },
        "catalogue": {
            "BACKEND": "config.cache.ResilientRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "ecommerce_api:catalogue",
        },
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "django_cache",
        },
        "catalogue": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "catalogue_cache",
            "OPTIONS": {"MAX_ENTRIES": 2000},
        },
    }

# --- Background tasks -------------------------------------------------------------------------
# The scheduled maintenance runs as tasks (django_tasks: Django 6.0's Tasks API, backported),
# enqueued by `manage.py run_maintenance` (cron) and worked by `manage.py run_worker`. Without
# REDIS_URL the queue is a table in the project's own database (django_tasks_db); with it, RQ on
# that Redis, whose workers any number of machines can run. Every task uses one queue named after
# the project, so projects (or two deployments) sharing a Redis database never run each other's
# tasks.
TASKS_QUEUE_NAME = env.str("DJANGO_TASKS_QUEUE", default="ecommerce_api")
if not re.fullmatch(r"[a-z0-9][a-z0-9_-]{0,31}", TASKS_QUEUE_NAME):
    raise ImproperlyConfigured(
        "DJANGO_TASKS_QUEUE must be 1 to 32 lowercase letters, digits, '-' or '_'."
    )
if REDIS_URL:
    TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": [TASKS_QUEUE_NAME]}}
    RQ_QUEUES: dict[str, dict[str, object]] = {TASKS_QUEUE_NAME: {"URL": REDIS_URL}}
    # The worker must build django_tasks_rq's jobs, which call the task function.
    RQ = {"JOB_CLASS": "django_tasks_rq.Job"}
    # No RQ dashboard inside the admin: /healthz says what waits, and for how long.
    RQ_SHOW_ADMIN_LINK = False
    INSTALLED_APPS += ["django_rq", "django_tasks_rq"]
else:
    TASKS = {
        "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": [TASKS_QUEUE_NAME]}
    }

# django-imagekit (the product photo sizes) declares a job on an RQ queue named "default" when
# it is imported, whenever django-rq is installed (it is, for REDIS_URL). It never enqueues one
# here: the sizes are made by the request that saves the photo (catalog.models.ProductImage). So
# the queue is declared, never used, and never connected to (ASYNC off, no Redis needed).
RQ_QUEUES = {
    **(RQ_QUEUES if REDIS_URL else {}),
    "default": {"URL": REDIS_URL or "redis://127.0.0.1:6379/0", "ASYNC": False},
}

# --- Orders -----------------------------------------------------------------------------------
# How long an Idempotency-Key replays the order it placed. A key older than this is new again,
# and the maintenance job deletes its record (orders.services.purge_idempotency_records).
IDEMPOTENCY_REPLAY_WINDOW = timedelta(hours=env.int("DJANGO_IDEMPOTENCY_WINDOW_HOURS", default=24))
if IDEMPOTENCY_REPLAY_WINDOW.total_seconds() <= 0:
    raise ImproperlyConfigured("DJANGO_IDEMPOTENCY_WINDOW_HOURS must be a positive number.")

# --- REST API ---------------------------------------------------------------------------------
REST_FRAMEWORK = {
    # Token first, so an anonymous request is answered 401 with a WWW-Authenticate header.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    # Closed by default: every public endpoint says so explicitly.
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "config.pagination.PageNumberPagination",
    "PAGE_SIZE": 20,
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PARSER_CLASSES": [
        "config.parsers.JSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_RENDERER_CLASSES": [
        "rest_framework.renderers.JSONRenderer",
        "rest_framework.renderers.BrowsableAPIRenderer",
    ],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "config.api_errors.exception_handler",
    "DEFAULT_THROTTLE_RATES": {
        "order_placement": env.str("DJANGO_ORDER_THROTTLE_RATE", default="10/minute"),
        "auth_token": env.str("DJANGO_AUTH_THROTTLE_RATE", default="10/minute"),
        "registration": env.str("DJANGO_REGISTRATION_THROTTLE_RATE", default="5/hour"),
        "password_reset": env.str("DJANGO_PASSWORD_RESET_THROTTLE_RATE", default="10/hour"),
        "password_reset_address": env.str(
            "DJANGO_PASSWORD_RESET_ADDRESS_THROTTLE_RATE", default="3/hour"
        ),
        "account": env.str("DJANGO_ACCOUNT_THROTTLE_RATE", default="60/minute"),
        "alert_subscription": env.str("DJANGO_ALERT_THROTTLE_RATE", default="30/hour"),
    },
    # The throttles here read the client from config.client_ip; this only keeps DRF's own
    # get_ident, should a throttle ever use it, from believing a client's X-Forwarded-For.
    "NUM_PROXIES": TRUSTED_PROXY_COUNT,
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
}

SPECTACULAR_SETTINGS = {
    "TITLE": "Shop API",
    "DESCRIPTION": (
        "The REST backend of a mobile shop. Products are public; orders need a token "
        "(`Authorization: Token <key>`, from `POST /api/auth/token/`). Every error has the same "
        "shape: `code`, `detail`, and `errors` (validation) or `shortages` (stock). Any "
        "operation may answer `503 service_unavailable` with `Retry-After` while the database "
        "cannot be reached."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # Built once per process, not on every GET /api/schema/ (config/schema.py).
    "DEFAULT_GENERATOR_CLASS": "config.schema.SchemaGenerator",
    "COMPONENT_SPLIT_REQUEST": True,
    # Swagger UI and ReDoc from the drf-spectacular-sidecar package: no CDN, works offline.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # Deep links (/api/docs/#/orders/orders_create) open one operation; no online validator
    # badge, which would send the schema's URL to validator.swagger.io.
    "SWAGGER_UI_SETTINGS": {"deepLinking": True, "validatorUrl": None},
    "ENUM_NAME_OVERRIDES": {"OrderStatusEnum": "orders.models.Order.Status"},
    # Request bodies are documented as JSON only. The token endpoint (DRF's) also parses forms
    # for the browsable API, and documenting three content types made client generators
    # (openapi-python-client) emit a broken type for its body; the mobile app sends JSON.
    "PARSER_WHITELIST": ["rest_framework.parsers.JSONParser"],
}

EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
# Every e-mail is sent by the task worker from the outbox (notifications/); a server that stops
# answering fails one try after this many seconds, and the try is repeated later.
EMAIL_TIMEOUT = 20
DEFAULT_FROM_EMAIL = env.str("DJANGO_DEFAULT_FROM_EMAIL", default="shop@localhost")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "{asctime} {levelname} {name} {message}", "style": "{"},
    },
    "handlers": {
        "stdout": {"class": "logging.StreamHandler", "formatter": "plain"},
    },
    "root": {"handlers": ["stdout"], "level": env.str("DJANGO_LOG_LEVEL", default="INFO")},
}
