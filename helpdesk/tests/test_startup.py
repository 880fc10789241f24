"""Every process starts the whole project (each gunicorn worker, the task worker, every
management command and cron job), so optional heavy libraries are imported only where the
configuration uses them: boto3/botocore (half a second) by the S3 storage, given a bucket;
redis-py (half a second) by the Redis cache and queue, given ``REDIS_URL``; ``requests`` by the
Mailgun webhook's view, at its first request. A process without those pays for none of them.
That they still work when configured is proven where they are used (tests/attachments/
test_object_storage.py, tests/test_resilient_cache.py, tests/inbound/test_webhook.py)."""

import json

from shared.processes import PRODUCTION

from tests.processes import run_python

OPTIONAL = ("boto3", "botocore", "storages.backends.s3", "redis", "requests")

STARTED = f"""
import json, sys

import django

django.setup()
from django.core.management import call_command

call_command("check", "--deploy", "--fail-level", "ERROR")  # loads the URLconf and every view
import config.urls

print(json.dumps([name for name in {OPTIONAL!r} if name in sys.modules]))
"""


def test_a_process_without_a_bucket_redis_or_webhook_imports_none_of_their_libraries():
    started = run_python("config.settings.production", STARTED, **PRODUCTION)

    assert started.returncode == 0, started.stderr
    assert json.loads(started.stdout.splitlines()[-1]) == []
