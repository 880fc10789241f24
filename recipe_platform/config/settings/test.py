"""Settings for the test suite: fast, isolated and deterministic."""

from .base import *  # noqa: F403
from .base import REDIS_URL, TASKS_QUEUE_NAME

DEBUG = False
SECRET_KEY = "django-insecure-test-suite-only"  # noqa: S105 - only ever used by the tests
ALLOWED_HOSTS = ["testserver", "localhost", "127.0.0.1"]

# Hashing passwords with a slow algorithm is the point in production and a waste of time here.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
if not REDIS_URL:  # with REDIS_URL (as in CI), the tests exercise the real Redis cache
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# A task runs as it is enqueued (after the commit, as the real backends do), so a test sees its
# effect at once. Tests of the worker, the queue's health or a backend switch it themselves;
# tests/test_worker.py runs the real worker processes on the real backends.
TASKS = {
    "default": {
        "BACKEND": "django_tasks.backends.immediate.ImmediateBackend",
        "QUEUES": [TASKS_QUEUE_NAME],
    }
}
# Photos go to the temporary MEDIA_ROOT of each test, whatever the environment says; the
# object-storage tests point STORAGES at a local S3 server themselves.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"null": {"class": "logging.NullHandler"}},
    "root": {"handlers": ["null"]},
}

# Serve static files from the apps and STATICFILES_DIRS, as runserver does; no collectstatic.
WHITENOISE_AUTOREFRESH = True
WHITENOISE_USE_FINDERS = True
