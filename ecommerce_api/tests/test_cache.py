"""The cache that holds the throttle counters is shared by every worker process.

Redis when ``REDIS_URL`` is set (CI sets it on its second run), else a database table (the
choice itself is the shared contract's, tests/test_contract.py). The proof is a second Python
process, as a second gunicorn worker would be: a client the test process throttled is
throttled there too.
"""

from __future__ import annotations

import importlib
import os
from types import SimpleNamespace

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection
from django.urls import reverse
from shared.settings_probe import Case, read_settings

from tests.processes import PROJECT_DIR, database_url, run_python

REDIS_URL = os.environ.get("REDIS_URL", "")
needs_redis = pytest.mark.skipif(not REDIS_URL, reason="needs a Redis server: set REDIS_URL")

DATABASE_CACHE = {
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "django_cache",
    }
}


@pytest.mark.django_db
def test_the_accounts_migration_creates_the_database_cache_table(settings):
    settings.CACHES = {"default": {**DATABASE_CACHE["default"], "LOCATION": "migration_cache"}}
    migration = importlib.import_module("accounts.migrations.0002_create_cache_table")

    migration.create_cache_table(None, SimpleNamespace(connection=connection))

    assert "migration_cache" in connection.introspection.table_names()
    cache.set("answer", 42)
    assert cache.get("answer") == 42


@pytest.fixture
def shared_cache(settings):
    """The cache under test: Redis when ``REDIS_URL`` is set, else the database table."""
    if not REDIS_URL:
        settings.CACHES = DATABASE_CACHE
        call_command("createcachetable", verbosity=0)
    cache.clear()
    yield
    cache.clear()


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("shared_cache")
def test_a_client_throttled_by_one_process_is_throttled_by_another(settings, api_client):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"order_placement": "2/minute", "auth_token": "2/minute"},
    }
    wrong = {"username": "nobody", "password": "wrong"}
    statuses = [api_client.post(reverse("auth-token"), wrong).status_code for _ in range(3)]
    assert statuses == [400, 400, 429]

    other_worker = (
        "import django; django.setup(); from django.test import Client; "
        "response = Client().post('/api/auth/token/', {}, HTTP_HOST='localhost'); "
        "print(response.status_code)"
    )
    result = run_python(
        "config.settings.local",
        other_worker,
        DATABASE_URL=database_url(connection),
        DJANGO_AUTH_THROTTLE_RATE="2/minute",
        **({"REDIS_URL": REDIS_URL} if REDIS_URL else {}),
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "429"


@needs_redis
def test_with_redis_url_the_tests_use_redis_and_a_fresh_connection_sees_the_counts(settings):
    from django.core.cache.backends.redis import RedisCache

    assert settings.CACHES["default"]["BACKEND"] == "config.cache.ResilientRedisCache"
    cache.set("throttle_probe", [1, 2, 3])
    fresh = RedisCache(REDIS_URL, {"KEY_PREFIX": settings.CACHES["default"]["KEY_PREFIX"]})

    assert fresh.get("throttle_probe") == [1, 2, 3]
    fresh.close()


def test_cached_product_lists_have_their_own_table_apart_from_the_throttle_counters():
    (local,) = read_settings(PROJECT_DIR, [Case("config.settings.local", {}, ["CACHES"])])

    assert local["CACHES"]["catalogue"]["LOCATION"] == "catalogue_cache"
    assert local["CACHES"]["default"]["LOCATION"] == "django_cache"
