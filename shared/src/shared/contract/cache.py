"""The cache is shared between processes: a database table by default, Redis with REDIS_URL.

What one worker process stores (a throttle counter, a lockout's count, a cached page) must be
what the next one reads; the per-process local-memory cache would give each gunicorn worker
its own. The proof is a second Python process, as a second worker would be.
"""

from __future__ import annotations

import os
import uuid
from pathlib import Path

import pytest
from django.conf import settings
from django.core.cache import cache

from shared.contract import Deployment
from shared.processes import run_python

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


class SharedCacheContract:
    """Subclass as ``TestSharedCache`` beside a ``deployment`` fixture."""

    def test_without_redis_every_process_shares_one_database_cache_created_by_migrate(
        self, deployment: Deployment, tmp_path: Path
    ) -> None:
        database = f"sqlite:///{tmp_path / 'db.sqlite3'}"

        writer = run_python(
            deployment.project_dir,
            deployment.local_settings,
            MIGRATE_AND_COUNT,
            DATABASE_URL=database,
        )
        reader = run_python(
            deployment.project_dir,
            deployment.local_settings,
            READ_COUNT.format(key="failures"),
            DATABASE_URL=database,
        )

        assert writer.returncode == 0, writer.stderr
        assert writer.stdout.split()[-1] == "DatabaseCache"
        assert reader.returncode == 0, reader.stderr
        assert reader.stdout.split()[-1] == "3"

    @needs_redis
    def test_with_redis_url_the_tests_use_the_redis_cache(self) -> None:
        assert settings.CACHES["default"]["BACKEND"] == "config.cache.ResilientRedisCache"
        assert settings.CACHES["default"]["LOCATION"] == REDIS_URL

    @needs_redis
    def test_a_counter_kept_in_redis_is_seen_by_another_process(
        self, deployment: Deployment
    ) -> None:
        key = f"failures-{uuid.uuid4().hex}"
        cache.set(key, 0, 60)
        for _ in range(3):
            cache.incr(key)

        try:
            reader = run_python(
                deployment.project_dir,
                "config.settings.test",
                READ_COUNT.format(key=key),
                REDIS_URL=REDIS_URL,
            )
        finally:
            cache.delete(key)

        assert reader.returncode == 0, reader.stderr
        assert reader.stdout.split()[-1] == "3"
