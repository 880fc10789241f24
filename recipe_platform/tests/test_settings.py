"""What the recipe platform's settings make of the environment beyond the shared contract
(tests/test_contract.py runs shared.contract.settings: refusals, database, cache, queue, HSTS,
proxies and the lockout): photo storage, media serving and RQ's options.

The plain values are read by one probe process for all environments (shared.settings_probe);
what needs Django set up runs in a fresh interpreter of its own.
"""

import pytest
from shared.processes import PRODUCTION
from shared.settings_probe import Case, Outcome, read_settings

from tests.processes import PROJECT_DIR, run_python

NAMES = ["STORAGES", "MEDIA_URL", "TASKS", "RQ_QUEUES", "RQ", "INSTALLED_APPS"]

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


def _read(environments: dict[str, dict[str, str]]) -> dict[str, Outcome]:
    cases = [
        Case("config.settings.production", {**PRODUCTION, **env}, NAMES)
        for env in environments.values()
    ]
    outcomes = read_settings(PROJECT_DIR, cases)
    assert all(outcome.error is None for outcome in outcomes), outcomes
    return dict(zip(environments, outcomes, strict=True))


@pytest.fixture(scope="module")
def read() -> dict[str, Outcome]:
    """The production settings with only the required variables set (``defaults``), those of a
    multi-server deployment with every optional variable set (``configured``), and two single
    variations the tests below name (one probe process reads them all)."""
    return _read(
        {
            "defaults": {},
            "configured": CONFIGURED,
            "redis timeout": {"REDIS_URL": "rediss://cache.internal:6380/2?socket_timeout=5"},
            "bucket only": {"DJANGO_AWS_STORAGE_BUCKET_NAME": "recipe-photos"},
        }
    )


@pytest.fixture
def defaults(read):
    return read["defaults"]


@pytest.fixture
def configured(read):
    return read["configured"]


def test_production_passes_the_deployment_checklist_when_configured_for_several_servers():
    code = (
        "from django.core.management import execute_from_command_line; "
        "execute_from_command_line(['manage.py', 'check', '--deploy', '--fail-level', 'WARNING'])"
    )
    result = run_python("config.settings.production", code, **CONFIGURED, **PRODUCTION)

    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


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


def test_timeouts_given_in_redis_url_win_over_the_queues_short_defaults(read):
    settings = read["redis timeout"]  # REDIS_URL=rediss://cache.internal:6380/2?socket_timeout=5

    assert settings["RQ_QUEUES"]["recipe_platform"]["URL"] == (
        "rediss://cache.internal:6380/2?socket_connect_timeout=0.25&socket_timeout=5"
    )


def test_production_photos_go_to_the_file_system_without_a_bucket(defaults):
    storages = defaults["STORAGES"]

    assert storages["default"] == {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    assert defaults["MEDIA_URL"] == "media/"  # served at /media/: Django adds the script prefix


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


def test_object_storage_signs_urls_and_leaves_credentials_to_boto3_by_default(read):
    settings = read["bucket only"]  # DJANGO_AWS_STORAGE_BUCKET_NAME=recipe-photos, nothing else
    options = settings["STORAGES"]["default"]["OPTIONS"]

    assert options["querystring_auth"] is True
    assert options["access_key"] is None
    assert options["secret_key"] is None
    assert options["endpoint_url"] is None
    assert options["custom_domain"] is None


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
    result = run_python("config.settings.production", MEDIA_IS_ROUTED, **PRODUCTION)

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "not served"


def test_production_never_serves_photos_that_live_on_another_domain():
    result = run_python(
        "config.settings.production",
        MEDIA_IS_ROUTED,
        DJANGO_SERVE_MEDIA="true",
        DJANGO_MEDIA_URL="https://media.example.org/",
        **PRODUCTION,
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "not served"
