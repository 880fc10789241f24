"""Settings shared by every environment; each one is read from the environment where it varies.

``local``, ``test`` and ``production`` import this module and override what differs.
"""

import re
from datetime import timedelta
from pathlib import Path
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import django_stubs_ext
import environ
from csp import constants as csp
from django.core.exceptions import ImproperlyConfigured

# Django's generic views, forms and admin classes accept type parameters (ListView[Ticket]),
# as django-stubs declares them, once this patch is applied.
django_stubs_ext.monkeypatch()

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()

DEBUG = False
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"])

INSTALLED_APPS = [
    "config.apps.HelpdeskAdminConfig",  # django.contrib.admin with our site (config/admin.py)
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "axes",
    # Background tasks (Django 6.0's Tasks API, backported) and the database queue; with
    # REDIS_URL, RQ's apps are added below ("Background tasks").
    "django_tasks",
    "django_tasks_db",
    "config.apps.ProjectConfig",
    "accounts",
    "tickets",
    "mail",
    "inbound",
    "attachments",
    "canned",
    "sla",
    "satisfaction",
    "reports",
    "demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Content-Security-Policy on every response below it: pages, admin, error and lockout pages.
    "csp.middleware.CSPMiddleware",
    # A view's database error (the database restarting) answers a 503 page, not a 500.
    "config.middleware.DatabaseUnavailableMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Every page needs a login unless its view is marked @login_not_required.
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
# A persistent connection is checked before reuse, so one broken by a database restart is
# replaced on the next request instead of failing it.
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # A database host that does not answer fails the request (503) after 3 seconds instead of
    # holding a worker for the operating system's TCP timeout.
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
# breaker, and resumes by itself when it is back.
if REDIS_URL := env.str("REDIS_URL", default=""):
    CACHES = {
        "default": {
            "BACKEND": "config.cache.ResilientRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "helpdesk",
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "django_cache",
        }
    }


def _with_query(url: str, **defaults: str) -> str:
    """``url`` with ``defaults`` added to its query string where it does not set them."""
    parts = urlsplit(url)
    query = {**defaults, **dict(parse_qsl(parts.query))}
    return urlunsplit(parts._replace(query=urlencode(query)))


# --- Background tasks -------------------------------------------------------------------------
# E-mail delivery and the scheduled maintenance run as tasks (django_tasks: Django 6.0's Tasks
# API, backported), worked by `manage.py run_worker`. Without REDIS_URL the queue is a table in
# the project's own database (django_tasks_db); with it, RQ on that Redis, whose workers any
# number of machines can run. Every task uses one queue named after the project, so projects
# (or two deployments) sharing a Redis database never run each other's tasks. The database
# queue's table exists either way, so switching backends needs no migration.
TASKS_QUEUE_NAME = env.str("DJANGO_TASKS_QUEUE", default="helpdesk")
if not re.fullmatch(r"[a-z0-9][a-z0-9_-]{0,31}", TASKS_QUEUE_NAME):
    raise ImproperlyConfigured(
        "DJANGO_TASKS_QUEUE must be 1 to 32 lowercase letters, digits, '-' or '_'."
    )
if REDIS_URL:
    TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": [TASKS_QUEUE_NAME]}}
    # Short timeouts for the web processes' enqueues and health checks, so a Redis that is down
    # or hangs costs a request a fraction of a second (the enqueue is logged and the maintenance
    # job recovers it); RQ's worker lengthens the read timeout for its own blocking waits.
    RQ_QUEUES = {
        TASKS_QUEUE_NAME: {
            "URL": _with_query(REDIS_URL, socket_connect_timeout="0.25", socket_timeout="1")
        }
    }
    # The worker must build django_tasks_rq's jobs, which run the task function.
    RQ = {"JOB_CLASS": "django_tasks_rq.Job"}
    # No RQ dashboard inside the admin: /healthz and the outbox admin show what matters.
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
LOGOUT_REDIRECT_URL = "login"

# django-axes checks the lockout before the real backend is asked about the password.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    # Django's ModelBackend, reading the session's user without composing a query (config/auth.py).
    "config.auth.ModelBackend",
]

# Login throttling (django-axes). Failures are counted in the database, not a per-process cache,
# so a lockout holds across every worker process. Five failures for one username, or from one
# address, lock that username or address out for fifteen minutes; a success resets the count.
# (The database handler keeps nothing in the cache; AXES_CACHE would only matter for its cache
# handler, and would be the shared cache above.)
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
# Every form that checks a password, not only the login, reports to django-axes; these fields
# are masked in the request data it stores with each failure (it always masks "password").
AXES_SENSITIVE_PARAMETERS = [
    "username",
    "ip_address",
    "old_password",
    "new_password1",
    "new_password2",
]
# accounts/admin.py registers axes' admin classes with checked lookups (config/admin.py).
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
MEDIA_URL = "media/"
MEDIA_ROOT = env.path("DJANGO_MEDIA_ROOT", default=BASE_DIR / "media")
# Ticket attachments are private: never under MEDIA_ROOT or STATIC_ROOT, only ever read through
# the download view (attachments/views.py). A folder on this machine (files 0600), or, given a
# bucket, a private S3-compatible bucket whose files the view hands out through URLs signed for
# 60 seconds; boto3 finds the credentials itself (AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, an
# instance role, ~/.aws).
if ATTACHMENTS_BUCKET := env.str("HELPDESK_ATTACHMENTS_BUCKET", default=""):
    ATTACHMENTS_STORAGE = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": ATTACHMENTS_BUCKET,
            "endpoint_url": env.str("HELPDESK_ATTACHMENTS_S3_ENDPOINT_URL", default="") or None,
            "region_name": env.str("HELPDESK_ATTACHMENTS_S3_REGION_NAME", default="") or None,
            "location": env.str("HELPDESK_ATTACHMENTS_S3_PREFIX", default="attachments"),
            "default_acl": "private",
            "querystring_auth": True,
            "querystring_expire": 60,
            "file_overwrite": False,
            "signature_version": "s3v4",
        },
    }
else:
    ATTACHMENTS_STORAGE = {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {
            "location": env.path(
                "HELPDESK_ATTACHMENTS_ROOT", default=BASE_DIR / "private" / "attachments"
            ),
            "base_url": None,
            "file_permissions_mode": 0o600,
            "directory_permissions_mode": 0o700,
        },
    }
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    "attachments": ATTACHMENTS_STORAGE,
}

# --- Attachments ------------------------------------------------------------------------------
# Limits per message (a new ticket, a reply, an inbound e-mail), checked by attachments.services
# with a form error naming the file. None of Django's upload settings is a size limit:
# FILE_UPLOAD_MAX_MEMORY_SIZE only decides memory vs a temporary file, DATA_UPLOAD_MAX_MEMORY_SIZE
# counts the non-file fields. The request's total size is the reverse proxy's job
# (nginx: client_max_body_size 26m).
HELPDESK_ATTACHMENT_MAX_BYTES = env.int("HELPDESK_ATTACHMENT_MAX_BYTES", default=10 * 1024 * 1024)
HELPDESK_ATTACHMENTS_MAX_TOTAL_BYTES = env.int(
    "HELPDESK_ATTACHMENTS_MAX_TOTAL_BYTES", default=25 * 1024 * 1024
)
HELPDESK_ATTACHMENTS_MAX_FILES = env.int("HELPDESK_ATTACHMENTS_MAX_FILES", default=10)
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
# Far above the files a message may carry, so choosing too many is our form error, not a 400.
DATA_UPLOAD_MAX_NUMBER_FILES = 100

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
# which also puts the nonce in the header); no 'unsafe-inline', no 'unsafe-eval', no inline
# style attributes or event handlers. The pages work without JavaScript; the admin's scripts
# are static files. Nothing may frame a page (clickjacking), and forms post only to this site.
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

EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
# Seconds an SMTP connection may stay silent before the send fails and is retried later; without
# it a mail server that hangs would hold a worker forever.
EMAIL_TIMEOUT = 20
DEFAULT_FROM_EMAIL = env.str("DJANGO_DEFAULT_FROM_EMAIL", default="helpdesk@localhost")
# The mailbox replies go to: every e-mail's Reply-To is this address tagged with its ticket
# (support+t42.<token>@...), and inbound mail is matched by that tag (mail/threading.py).
SUPPORT_EMAIL = env.str("DJANGO_SUPPORT_EMAIL", default=DEFAULT_FROM_EMAIL)
# The address links in e-mails point to (mail is sent outside a request, so it cannot be guessed).
SITE_URL = env.str("DJANGO_SITE_URL", default="http://127.0.0.1:8001")

# --- Inbound e-mail (the inbound app) ---------------------------------------------------------
# A message larger than this is refused before it is parsed (manage.py receive_email and the
# webhook alike), with a log line; 30 MB leaves room for 25 MB of attachments in base64.
INBOUND_EMAIL_MAX_BYTES = env.int("DJANGO_INBOUND_EMAIL_MAX_BYTES", default=30 * 1024 * 1024)
# Mail from an address no account has: False (default) answers it once a day per address,
# asking the sender to sign up; True opens a ticket for a new account made from the address,
# with an unusable password, which its owner claims through the password reset.
HELPDESK_EMAIL_CREATES_ACCOUNTS = env.bool("HELPDESK_EMAIL_CREATES_ACCOUNTS", default=False)

# A customer's reply to a ticket resolved at most this many days ago reopens it; a later one
# opens a new ticket that links back (tickets.reopening).
HELPDESK_REOPEN_WINDOW_DAYS = env.int("DJANGO_HELPDESK_REOPEN_WINDOW_DAYS", default=14)
# The good/bad links in a resolution e-mail (satisfaction.tokens) work for this many days.
HELPDESK_RATING_LINK_MAX_AGE_DAYS = env.int("DJANGO_HELPDESK_RATING_LINK_MAX_AGE_DAYS", default=30)
# Mailgun's inbound route (anymail) is refused with a 404 until its webhook signing key is set.
ANYMAIL = {"MAILGUN_WEBHOOK_SIGNING_KEY": env.str("DJANGO_MAILGUN_WEBHOOK_SIGNING_KEY", default="")}

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
