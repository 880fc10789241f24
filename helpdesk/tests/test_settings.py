"""What the help desk's production settings make of the environment beyond the shared contract
(tests/test_contract.py runs shared.contract.settings: refusals, database, cache, queue, HSTS,
proxies and the lockout)."""

import pytest
from shared.processes import PRODUCTION
from shared.settings_probe import Case, read_settings

from tests.processes import PROJECT_DIR

NAMES = ["TASKS", "RQ_QUEUES", "INSTALLED_APPS"]
REDIS = {"REDIS_URL": "redis://127.0.0.1:6379/1", "DJANGO_TASKS_QUEUE": "helpdesk-eu"}


@pytest.fixture(scope="module")
def without_redis_and_with_redis():
    return read_settings(
        PROJECT_DIR,
        [
            Case("config.settings.production", PRODUCTION, NAMES),
            Case("config.settings.production", {**PRODUCTION, **REDIS}, NAMES),
        ],
    )


def test_without_redis_only_the_database_queue_is_installed(without_redis_and_with_redis):
    settings, _ = without_redis_and_with_redis

    assert [app for app in settings["INSTALLED_APPS"] if "rq" in app or "tasks" in app] == [
        "django_tasks",
        "django_tasks_db",
    ]


def test_rq_gets_short_timeouts_so_an_enqueue_never_holds_a_request(without_redis_and_with_redis):
    _, settings = without_redis_and_with_redis

    assert settings["RQ_QUEUES"] == {
        "helpdesk-eu": {
            "URL": "redis://127.0.0.1:6379/1?socket_connect_timeout=0.25&socket_timeout=1"
        }
    }
    assert [app for app in settings["INSTALLED_APPS"] if "rq" in app or "tasks" in app] == [
        "django_tasks",
        "django_tasks_db",
        "django_rq",
        "django_tasks_rq",
    ]
