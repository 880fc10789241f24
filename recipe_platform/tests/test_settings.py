"""Production settings refuse to run insecurely and read everything else from the environment.

Settings are read once per process, so each check runs in a fresh interpreter.
"""

import json
from typing import Any

import pytest
from shared.processes import PRODUCTION, STRONG_KEY

from tests.processes import run_python

SETUP = "import django; django.setup(); from django.conf import settings; print(settings.DEBUG)"


def _run_with_production_settings(code: str, **env: str):
    return run_python("config.settings.production", code, **env)


READ_SETTINGS = """
import json, django
django.setup()
from django.conf import settings
names = [
    "SECURE_PROXY_SSL_HEADER", "DATABASES", "CACHES", "STORAGES", "MEDIA_URL",
    "TRUSTED_PROXY_COUNT", "AXES_CLIENT_IP_CALLABLE", "AXES_FAILURE_LIMIT", "AXES_COOLOFF_TIME",
    "SECURE_HSTS_SECONDS", "SECURE_HSTS_INCLUDE_SUBDOMAINS", "SECURE_HSTS_PRELOAD",
    "TASKS", "RQ_QUEUES", "RQ", "INSTALLED_APPS",
]
print(json.dumps({name: getattr(settings, name, None) for name in names}, default=str))
"""

CONFIGURED = {
    "DATABASE_URL": "postgres://recipes:secret@db.internal:5432/recipes",
    "REDIS_URL": "redis://cache.internal:6379/0",
    "DJANGO_SECURE_PROXY_SSL_HEADER": "HTTP_X_FORWARDED_PROTO,https",
    "DJANGO_MEDIA_URL": "https://media.example.org/",
    "DJANGO_AWS_STORAGE_BUCKET_NAME": "recipe-photos",
    "DJANGO_AWS_S3_ENDPOINT_URL": "https://s3.example.net",
    "DJANGO_AWS_S3_REGION_NAME": "eu-west-3",
    "DJANGO_AWS_ACCESS_KEY_ID": "AKIDEXAMPLE",
    "DJANGO_AWS_SECRET_ACCESS_KEY": "wJalrXUtnFEMI",
    "DJANGO_AWS_S3_CUSTOM_DOMAIN": "photos.example.org",
    "DJANGO_AWS_QUERYSTRING_AUTH": "false",
    "DJANGO_AWS_S3_ADDRESSING_STYLE": "path",
    "DJANGO_AWS_LOCATION": "media",
    "DJANGO_TRUSTED_PROXY_COUNT": "1",
}


def _production_settings(**env: str) -> dict[str, Any]:
    result = _run_with_production_settings(READ_SETTINGS, **{**PRODUCTION, **env})
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


@pytest.fixture(scope="module")
def defaults() -> dict[str, Any]:
    """The production settings with only the required variables set."""
    return _production_settings()


@pytest.fixture(scope="module")
def configured() -> dict[str, Any]:
    """The production settings of a multi-server deployment: every optional variable set."""
    return _production_settings(**CONFIGURED)


def test_production_refuses_to_start_without_a_secret_key():
    result = _run_with_production_settings(SETUP, DJANGO_ALLOWED_HOSTS="example.com")

    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY" in result.stderr


@pytest.mark.parametrize("weak_key", ["short", "django-insecure-" + "x" * 60])
def test_production_refuses_a_weak_or_development_secret_key(weak_key):
    result = _run_with_production_settings(
        SETUP, DJANGO_SECRET_KEY=weak_key, DJANGO_ALLOWED_HOSTS="example.com"
    )

    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY must be a random value" in result.stderr


def test_production_refuses_debug_mode():
    result = _run_with_production_settings(SETUP, DJANGO_DEBUG="true", **PRODUCTION)

    assert result.returncode != 0
    assert "DJANGO_DEBUG must not be enabled" in result.stderr


def test_production_requires_allowed_hosts():
    result = _run_with_production_settings(SETUP, DJANGO_SECRET_KEY=STRONG_KEY)

    assert result.returncode != 0
    assert "DJANGO_ALLOWED_HOSTS" in result.stderr


def test_production_runs_with_debug_off_when_configured():
    result = _run_with_production_settings(SETUP, **PRODUCTION)

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False"


def test_production_passes_the_deployment_checklist():
    code = (
        "from django.core.management import execute_from_command_line; "
        "execute_from_command_line(['manage.py', 'check', '--deploy', '--fail-level', 'WARNING'])"
    )
    result = _run_with_production_settings(code, **PRODUCTION)

    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_passes_the_deployment_checklist_when_configured_for_several_servers():
    code = (
        "from django.core.management import execute_from_command_line; "
        "execute_from_command_line(['manage.py', 'check', '--deploy', '--fail-level', 'WARNING'])"
    )
    result = _run_with_production_settings(code, **CONFIGURED, **PRODUCTION)

    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_trusts_the_proxy_header_only_when_told(defaults, configured):
    assert defaults["SECURE_PROXY_SSL_HEADER"] is None
    assert configured["SECURE_PROXY_SSL_HEADER"] == ["HTTP_X_FORWARDED_PROTO", "https"]


def test_local_settings_run_with_debug_on_and_no_environment():
    result = run_python("config.settings.local", SETUP)

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "True"


def test_default_sqlite_waits_for_the_write_lock_instead_of_failing(defaults):
    options = defaults["DATABASES"]["default"]["OPTIONS"]

    assert options["transaction_mode"] == "IMMEDIATE"
    assert "journal_mode=WAL" in options["init_command"]
    assert options["timeout"] == 20


def test_postgresql_from_database_url_keeps_health_checked_persistent_connections(configured):
    database = configured["DATABASES"]["default"]

    assert database["ENGINE"] == "django.db.backends.postgresql"
    assert (database["NAME"], database["HOST"]) == ("recipes", "db.internal")
    assert database["CONN_MAX_AGE"] == 60
    assert database["CONN_HEALTH_CHECKS"] is True
    assert "transaction_mode" not in database.get("OPTIONS", {})


def test_production_cache_is_the_database_table_without_redis(defaults):
    assert defaults["CACHES"]["default"] == {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "django_cache",
    }


def test_production_cache_is_redis_when_redis_url_is_set(configured):
    cache = configured["CACHES"]["default"]

    assert cache["BACKEND"] == "config.cache.ResilientRedisCache"
    assert cache["LOCATION"] == "redis://cache.internal:6379/0"


def test_tasks_go_to_the_database_queue_without_redis(defaults):
    assert defaults["TASKS"] == {
        "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["recipe_platform"]}
    }
    assert {"django_tasks", "django_tasks_db"} <= set(defaults["INSTALLED_APPS"])
    assert "django_rq" not in defaults["INSTALLED_APPS"]
    assert defaults["RQ_QUEUES"] is None


def test_tasks_go_to_rq_workers_when_redis_url_is_set(configured):
    assert configured["TASKS"] == {
        "default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["recipe_platform"]}
    }
    assert configured["RQ_QUEUES"] == {
        "recipe_platform": {
            "URL": "redis://cache.internal:6379/0?socket_connect_timeout=0.25&socket_timeout=1"
        }
    }
    assert configured["RQ"] == {"JOB_CLASS": "django_tasks_rq.Job", "COMMIT_MODE": "auto"}
    assert {"django_rq", "django_tasks", "django_tasks_rq"} <= set(configured["INSTALLED_APPS"])


def test_timeouts_given_in_redis_url_win_over_the_queues_short_defaults():
    settings = _production_settings(REDIS_URL="rediss://cache.internal:6380/2?socket_timeout=5")

    assert settings["RQ_QUEUES"]["recipe_platform"]["URL"] == (
        "rediss://cache.internal:6380/2?socket_connect_timeout=0.25&socket_timeout=5"
    )


def test_postgresql_gives_up_connecting_after_3_seconds(configured, defaults):
    assert configured["DATABASES"]["default"]["OPTIONS"]["connect_timeout"] == 3
    assert "connect_timeout" not in defaults["DATABASES"]["default"]["OPTIONS"]  # SQLite


def test_the_task_queue_can_be_renamed_for_a_second_deployment_on_one_redis():
    settings = _production_settings(
        REDIS_URL="redis://cache.internal:6379/0", DJANGO_TASKS_QUEUE="recipes-staging"
    )

    assert settings["TASKS"]["default"]["QUEUES"] == ["recipes-staging"]
    assert list(settings["RQ_QUEUES"]) == ["recipes-staging"]


def test_a_task_queue_name_redis_or_the_database_could_not_hold_is_refused():
    result = _run_with_production_settings(SETUP, DJANGO_TASKS_QUEUE="x" * 33, **PRODUCTION)

    assert result.returncode != 0
    assert "DJANGO_TASKS_QUEUE must be 1 to 32 lowercase letters" in result.stderr


def test_production_photos_go_to_the_file_system_without_a_bucket(defaults):
    storages = defaults["STORAGES"]

    assert storages["default"] == {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    assert defaults["MEDIA_URL"] == "/media/"


def test_production_static_files_get_hashed_compressed_names(defaults, configured):
    for settings in (defaults, configured):
        assert settings["STORAGES"]["staticfiles"]["BACKEND"] == (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )


def test_production_media_can_be_served_from_a_separate_domain(configured):
    assert configured["MEDIA_URL"] == "https://media.example.org/"


def test_production_photos_go_to_object_storage_when_a_bucket_is_named(configured):
    storage = configured["STORAGES"]["default"]

    assert storage["BACKEND"] == "storages.backends.s3.S3Storage"
    assert storage["OPTIONS"] == {
        "bucket_name": "recipe-photos",
        "endpoint_url": "https://s3.example.net",
        "region_name": "eu-west-3",
        "access_key": "AKIDEXAMPLE",
        "secret_key": "wJalrXUtnFEMI",
        "custom_domain": "photos.example.org",
        "querystring_auth": False,
        "addressing_style": "path",
        "signature_version": "s3v4",
        "location": "media",
        "object_parameters": {"CacheControl": "public, max-age=31536000, immutable"},
    }


def test_object_storage_signs_urls_and_leaves_credentials_to_boto3_by_default():
    options = _production_settings(DJANGO_AWS_STORAGE_BUCKET_NAME="recipe-photos")["STORAGES"][
        "default"
    ]["OPTIONS"]

    assert options["querystring_auth"] is True
    assert options["access_key"] is None
    assert options["secret_key"] is None
    assert options["endpoint_url"] is None
    assert options["custom_domain"] is None


def test_login_lockout_counts_the_peer_address_by_default(defaults):
    assert defaults["TRUSTED_PROXY_COUNT"] == 0
    assert defaults["AXES_CLIENT_IP_CALLABLE"] == "config.client_ip.client_ip"


def test_login_lockout_trusts_as_many_proxies_as_the_environment_says(configured):
    assert configured["TRUSTED_PROXY_COUNT"] == 1


def test_a_negative_proxy_count_is_refused():
    result = _run_with_production_settings(SETUP, DJANGO_TRUSTED_PROXY_COUNT="-1", **PRODUCTION)

    assert result.returncode != 0
    assert "DJANGO_TRUSTED_PROXY_COUNT must be 0 or a positive number" in result.stderr


AXES_ADDRESS = """
import django
django.setup()
from axes.helpers import get_client_ip_address
from django.test import RequestFactory
request = RequestFactory().get(
    "/", REMOTE_ADDR="10.0.0.9", HTTP_X_FORWARDED_FOR="6.6.6.6", HTTP_X_REAL_IP="7.7.7.7"
)
print(get_client_ip_address(request))
"""


def test_the_old_ipware_variables_no_longer_make_the_lockout_trust_a_header():
    """Left over in an environment, they change nothing: the address is config.client_ip's."""
    result = _run_with_production_settings(
        AXES_ADDRESS,
        DJANGO_AXES_IPWARE_META_PRECEDENCE_ORDER="HTTP_X_FORWARDED_FOR,REMOTE_ADDR",
        DJANGO_AXES_IPWARE_PROXY_ORDER="left-most",
        **PRODUCTION,
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "10.0.0.9"


def test_with_one_trusted_proxy_axes_counts_the_address_it_appended():
    result = _run_with_production_settings(
        AXES_ADDRESS, DJANGO_TRUSTED_PROXY_COUNT="1", **PRODUCTION
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "6.6.6.6"


def test_the_readmes_lockout_is_five_failures_for_15_minutes(defaults):
    assert defaults["AXES_FAILURE_LIMIT"] == 5
    assert defaults["AXES_COOLOFF_TIME"] == "0:15:00"


def test_production_sends_hsts_for_one_year_with_subdomains_and_preload(defaults):
    assert defaults["SECURE_HSTS_SECONDS"] == 31536000
    assert defaults["SECURE_HSTS_INCLUDE_SUBDOMAINS"] is True
    assert defaults["SECURE_HSTS_PRELOAD"] is True


MEDIA_IS_ROUTED = """
import django
django.setup()
from django.urls import Resolver404, resolve
try:
    resolve("/media/recipes/photo.webp")
except Resolver404:
    print("not served")
else:
    print("served")
"""


def test_production_leaves_photos_to_another_server_unless_asked():
    result = _run_with_production_settings(MEDIA_IS_ROUTED, **PRODUCTION)

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "not served"


def test_production_never_serves_photos_that_live_on_another_domain():
    result = _run_with_production_settings(
        MEDIA_IS_ROUTED,
        DJANGO_SERVE_MEDIA="true",
        DJANGO_MEDIA_URL="https://media.example.org/",
        **PRODUCTION,
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "not served"
