"""Settings shared by every environment; each one is read from the environment where it varies.

``local``, ``test`` and ``production`` import this module and override what differs.
"""

import re
from datetime import timedelta
from pathlib import Path
from urllib.parse import parse_qsl, urlencode, urlsplit

import django_stubs_ext
import environ
from csp import constants as csp
from django.core.exceptions import ImproperlyConfigured

# Django's generic views, forms and admin classes accept type parameters (ListView[Recipe]),
# as django-stubs declares them, for mypy.
django_stubs_ext.monkeypatch()

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()

DEBUG = False
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"])

INSTALLED_APPS = [
    "config.apps.RecipeAdminConfig",  # django.contrib.admin with our site (config/admin.py)
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "axes",
    # Version history of recipes (one revision per edit; recipes.history, versions/).
    "reversion",
    # Background tasks (Django 6.0's Tasks API, backported) and the database queue, whose table
    # exists whichever backend runs (so switching to RQ needs no migration); with REDIS_URL,
    # RQ's apps are added below ("Background tasks").
    "django_tasks",
    "django_tasks_db",
    "config.apps.ProjectConfig",
    "accounts",
    "recipes",
    "community",
    "importer",
    "shopping",
    "gallery",
    "versions",
    "demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Content-Security-Policy on every response below it: pages, admin, error and lockout pages;
    # config.content_security_policy adds the photos' origin when they live on another domain.
    "config.content_security_policy.CSPMiddleware",
    # A view's database error (the database restarting) is a clean 503 page, not a 500; one
    # raised before any view runs is answered the same way by handler500 (config/error_pages.py).
    "config.middleware.DatabaseUnavailableMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Every page needs a login unless its view says @login_not_required: forgetting is safe.
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes requires: turns a locked-out login into its lockout page.
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
                "config.context_processors.frame_links",
            ],
            # {% with_query %}: Django's {% querystring %} without a deep copy per link.
            "libraries": {"query_links": "config.query_links"},
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
# A persistent connection is checked before each request reuses it, so the servers recover by
# themselves after the database restarts (config/middleware.py answers 503 meanwhile).
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # A database host that does not answer fails a request in 3 seconds, not the operating
    # system's TCP timeout of minutes with a worker held all along.
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

# --- Cache ------------------------------------------------------------------------------------
# Shared by every worker process, never the per-process local memory: Redis through REDIS_URL
# (several servers), else a table in the database (several workers on one machine; the
# accounts app's migration 0002 creates it). The prefix lets projects share one Redis database.
# With Redis, the cache is an optimisation: config.cache.ResilientRedisCache answers a miss
# (pages are built uncached) while Redis is unreachable, with short timeouts and a circuit
# breaker, and uses Redis again as soon as it is back. The database's cache fails only with the
# database, which config/middleware.py answers.
if REDIS_URL := env.str("REDIS_URL", default=""):
    CACHES = {
        "default": {
            "BACKEND": "config.cache.ResilientRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "recipe_platform",
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "django_cache",
        }
    }

# --- Background tasks -------------------------------------------------------------------------
# Deleting replaced photo files and the scheduled maintenance run as tasks (django_tasks: Django
# 6.0's Tasks API, backported), worked by `manage.py run_worker`. Without REDIS_URL the queue is a
# table in the project's own database (django_tasks_db); with it, RQ on that Redis, whose workers
# any number of machines can run. Every task uses one queue named after the project, so projects
# (or two deployments) sharing a Redis database never run each other's tasks.
TASKS_QUEUE_NAME = env.str("DJANGO_TASKS_QUEUE", default="recipe_platform")
if not re.fullmatch(r"[a-z0-9][a-z0-9_-]{0,31}", TASKS_QUEUE_NAME):
    raise ImproperlyConfigured(
        "DJANGO_TASKS_QUEUE must be 1 to 32 lowercase letters, digits, '-' or '_'."
    )
if REDIS_URL:
    TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": [TASKS_QUEUE_NAME]}}
    # Short timeouts for the web processes' enqueue and /healthz, so a Redis that does not answer
    # costs a request a quarter of a second (the enqueue is then logged as failed, and the
    # maintenance catches up); RQ's worker raises the reply timeout for its own long polls.
    _redis_url = urlsplit(REDIS_URL)
    _rq_query = {"socket_connect_timeout": "0.25", "socket_timeout": "1"}
    _rq_query.update(parse_qsl(_redis_url.query))
    RQ_QUEUES = {
        TASKS_QUEUE_NAME: {"URL": _redis_url._replace(query=urlencode(_rq_query)).geturl()}
    }
    RQ = {
        # The worker must build django_tasks_rq's jobs, which call the task function.
        "JOB_CLASS": "django_tasks_rq.Job",
        # Enqueue when asked: config.queue already waits for the commit (transaction.on_commit),
        # and django-rq's own deferral would postpone it a second time.
        "COMMIT_MODE": "auto",
    }
    # No RQ dashboard inside the admin: /healthz says what waits, and for how long.
    RQ_SHOW_ADMIN_LINK = False
    INSTALLED_APPS += ["django_rq", "django_tasks_rq"]
else:
    TASKS = {
        "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": [TASKS_QUEUE_NAME]}
    }

# --- Accounts ---------------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "/"

# django-axes checks the lockout before the real backend is asked about the password.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    # Django's ModelBackend, reading the session's user without composing a query (config/auth.py).
    "config.auth.ModelBackend",
]

# Login throttling (django-axes), on every password check: the site's login, the admin's, and
# the admin's "change password" (its old password goes through authenticate(), config/admin.py).
# Failures are counted in the database, not a per-process cache, so a lockout holds across
# every worker process and server. Five failures for one username, or from one address, lock
# that username or address out for fifteen minutes; a success resets the count.
AXES_HANDLER = "axes.handlers.database.AxesDatabaseHandler"
AXES_FAILURE_LIMIT = env.int("DJANGO_AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("DJANGO_AXES_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
# A success does not reset the count: axes would delete every failure counted from the
# successful client's address, whichever username they were against, so anyone with an account
# of their own could guess at another's password four times, log in, and start again. Failures
# still expire with the cool-off.
AXES_RESET_ON_SUCCESS = False
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
# The password change form reports to django-axes too; these fields are masked in the request
# data it stores with each failure (it always masks "password").
AXES_SENSITIVE_PARAMETERS = [
    "username",
    "ip_address",
    "old_password",
    "new_password1",
    "new_password2",
]
# accounts/admin.py registers axes' admin classes with bounded date hierarchies.
AXES_ENABLE_ADMIN = False
# The address a lockout counts is config.client_ip.client_ip: REMOTE_ADDR, whatever headers the
# client sends, unless the deployment says how many proxies in front of it append the client's
# address to X-Forwarded-For (DJANGO_TRUSTED_PROXY_COUNT=N; the Nth entry from the right).
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

# --- Internationalisation ---------------------------------------------------------------------
LANGUAGE_CODE = "en-us"
TIME_ZONE = env.str("DJANGO_TIME_ZONE", default="UTC")
USE_I18N = True
USE_TZ = True

# --- Static and media files -------------------------------------------------------------------
STATIC_URL = "static/"
STATIC_ROOT = env.path("DJANGO_STATIC_ROOT", default=BASE_DIR / "staticfiles")
STATICFILES_DIRS = [BASE_DIR / "static"]
# Django's security guide: serve user uploads from another domain than the site, so nothing
# uploaded can ever run with the site's cookies. In production point DJANGO_MEDIA_URL at it
# (e.g. https://media.example.com/), or use the object storage below with its own domain.
MEDIA_URL = env.str("DJANGO_MEDIA_URL", default="media/")
MEDIA_ROOT = env.path("DJANGO_MEDIA_ROOT", default=BASE_DIR / "media")
# Let Django serve MEDIA_ROOT at MEDIA_URL without DEBUG: for trying the production settings on
# one machine only (slow, and on the site's own domain). DEBUG serves media anyway.
SERVE_MEDIA = env.bool("DJANGO_SERVE_MEDIA", default=False)

# Import from a URL may fetch loopback addresses: for the test suite's local pages only. Never
# read from the environment; `check --deploy` fails when it is on (importer/checks.py).
RECIPE_IMPORT_ALLOW_LOOPBACK = False

# Photos go to S3-compatible object storage (AWS S3, MinIO, Cloudflare R2, ...) when a bucket is
# named, so every application server sees the same files; else to MEDIA_ROOT on this machine.
# Without credentials in the environment, boto3 finds its own (instance role, ~/.aws).
if AWS_BUCKET := env.str("DJANGO_AWS_STORAGE_BUCKET_NAME", default=""):
    MEDIA_STORAGE = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": AWS_BUCKET,
            "endpoint_url": env.str("DJANGO_AWS_S3_ENDPOINT_URL", default="") or None,
            "region_name": env.str("DJANGO_AWS_S3_REGION_NAME", default="") or None,
            "access_key": env.str("DJANGO_AWS_ACCESS_KEY_ID", default="") or None,
            "secret_key": env.str("DJANGO_AWS_SECRET_ACCESS_KEY", default="") or None,
            # A CDN or a bucket domain of its own (the separate media domain); URLs are then
            # plain, public ones. Without it, each URL is signed and expires after an hour, so
            # a private bucket works as is.
            "custom_domain": env.str("DJANGO_AWS_S3_CUSTOM_DOMAIN", default="") or None,
            "querystring_auth": env.bool("DJANGO_AWS_QUERYSTRING_AUTH", default=True),
            "addressing_style": env.str("DJANGO_AWS_S3_ADDRESSING_STYLE", default="") or None,
            # botocore still signs URLs with the deprecated SigV2 in some regions; every S3
            # implementation takes SigV4.
            "signature_version": "s3v4",
            "location": env.str("DJANGO_AWS_LOCATION", default=""),
            # Photo files get random names and never change: browsers may keep them for a year.
            "object_parameters": {"CacheControl": "public, max-age=31536000, immutable"},
        },
    }
else:
    MEDIA_STORAGE = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
STORAGES = {
    "default": MEDIA_STORAGE,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# --- Uploads ----------------------------------------------------------------------------------
# None of these is the photo size limit: recipes.images refuses files over 10 MB (file.size) and
# images too large by their header (sides, pixels), with a form error.
# FILE_UPLOAD_MAX_MEMORY_SIZE only decides whether an upload is kept in memory or spooled to a
# temporary file (so a 10 MB photo never sits in RAM); DATA_UPLOAD_MAX_MEMORY_SIZE counts the
# non-file part of the body only. The total request size is the reverse proxy's job (e.g. nginx
# `client_max_body_size 11m`).
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 1024 * 1024  # a long recipe is ~20 KB of text
DATA_UPLOAD_MAX_NUMBER_FIELDS = 200
DATA_UPLOAD_MAX_NUMBER_FILES = 1  # the recipe form has one file input
FILE_UPLOAD_PERMISSIONS = 0o644

# --- Sessions -------------------------------------------------------------------------------
# Django's database store, read with one statement written once per process instead of an ORM
# query composed on every request (config/sessions.py says why, and why not the cache).
SESSION_ENGINE = "config.sessions"

# --- Security defaults that hold everywhere ---------------------------------------------------
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False  # Django's default; the CSRF token is also in every form.
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

# Content-Security-Policy (django-csp): only this site's own files run or style a page. Scripts
# need 'self' or the request's nonce (an inline <script> carries nonce="{{ request.csp_nonce }}",
# which also puts the nonce in the header); styles likewise; no 'unsafe-inline', no
# 'unsafe-eval', no inline style attributes or event handlers. The pages work without
# JavaScript; the admin's scripts are static files. Nothing may frame a page (clickjacking),
# and forms post only to this site.
# Photos may come from another origin (DJANGO_MEDIA_URL, the bucket or its custom domain): the
# middleware (config/content_security_policy.py) adds the storage's origin to img-src.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [csp.SELF],
        "script-src": [csp.SELF, csp.NONCE],
        # The nonce only for the 500 page's inline <style> (it must not need a static file).
        "style-src": [csp.SELF, csp.NONCE],
        "img-src": [csp.SELF, "data:"],
        "object-src": [csp.NONE],
        "base-uri": [csp.NONE],
        "frame-ancestors": [csp.NONE],
        "form-action": [csp.SELF],
    }
}

EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
DEFAULT_FROM_EMAIL = env.str("DJANGO_DEFAULT_FROM_EMAIL", default="recipes@localhost")

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
