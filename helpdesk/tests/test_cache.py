"""The cache is shared between processes: a database table by default, Redis with REDIS_URL.

What one worker process stores (a throttle counter, say) must be what the next one reads;
the per-process local-memory cache would give each worker its own count.
"""

import os
import uuid

import pytest
from django.conf import settings
from django.core.cache import cache

from tests.processes import run_python

REDIS_URL = os.environ.get("REDIS_URL", "")
needs_redis = pytest.mark.skipif(
    not REDIS_URL, reason="REDIS_URL is not set (e.g. REDIS_URL=redis://127.0.0.1:6379/1)"
)

MIGRATE_AND_COUNT = """
import django; django.setup()
from django.core.cache import cache, caches
from django.core.management import call_command
call_command("migrate", verbosity=0)
cache.set("failures", 0, 60)
for _ in range(3):
    cache.incr("failures")
print(type(caches["default"]).__name__)
"""
READ_COUNT = """
import django; django.setup()
from django.core.cache import cache
print(cache.get({key!r}))
"""


def test_without_redis_every_process_shares_one_database_cache_created_by_migrate(tmp_path):
    database = f"sqlite:///{tmp_path / 'db.sqlite3'}"

    writer = run_python("config.settings.local", MIGRATE_AND_COUNT, DATABASE_URL=database)
    reader = run_python(
        "config.settings.local", READ_COUNT.format(key="failures"), DATABASE_URL=database
    )

    assert writer.returncode == 0, writer.stderr
    assert writer.stdout.split()[-1] == "DatabaseCache"
    assert reader.returncode == 0, reader.stderr
    assert reader.stdout.split()[-1] == "3"


@needs_redis
def test_with_redis_url_the_tests_use_the_redis_cache():
    assert settings.CACHES["default"]["BACKEND"] == "config.cache.ResilientRedisCache"
    assert settings.CACHES["default"]["LOCATION"] == REDIS_URL


@needs_redis
def test_a_counter_kept_in_redis_is_seen_by_another_process():
    key = f"failures-{uuid.uuid4().hex}"
    cache.set(key, 0, 60)
    for _ in range(3):
        cache.incr(key)

    try:
        reader = run_python("config.settings.test", READ_COUNT.format(key=key), REDIS_URL=REDIS_URL)
    finally:
        cache.delete(key)

    assert reader.returncode == 0, reader.stderr
    assert reader.stdout.split()[-1] == "3"
