import pytest
from django.core.cache import cache
from django.test import Client
from shared.processes import collect_static
from shared.services import free_port

from tests.factories import TicketFactory
from tests.processes import PROJECT_DIR, copy_sqlite, migrate_sqlite

ROLES = ("anonymous", "creator", "other", "staff")


@pytest.fixture(autouse=True)
def _empty_cache():
    """Start every test with an empty cache: what one test cached must not answer another."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def attachments_root(settings, tmp_path):
    """Every test stores attachment files in a folder of its own, removed afterwards."""
    root = tmp_path / "attachments"
    settings.STORAGES = {
        **settings.STORAGES,
        "attachments": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": root, "base_url": None},
        },
    }
    return root


@pytest.fixture
def ticket(user):
    """An open, unassigned ticket created by the ``user`` fixture (the "creator" role)."""
    return TicketFactory.create(creator=user, title="Printer on fire", description="It smells odd.")


@pytest.fixture
def role_client(request):
    """A factory of test clients by role name: anonymous, creator, other or staff."""

    def make(role: str) -> Client:
        fixture = {
            "anonymous": "client",
            "creator": "user_client",
            "other": "other_user_client",
            "staff": "staff_client",
        }[role]
        return request.getfixturevalue(fixture)

    return make


@pytest.fixture(scope="session")
def collected_static(tmp_path_factory):
    """STATIC_ROOT after ``collectstatic`` with the production settings (run once per session)."""
    static_root = tmp_path_factory.mktemp("staticfiles")
    collect_static(PROJECT_DIR, static_root)
    return static_root


@pytest.fixture(scope="session")
def migrated_sqlite(tmp_path_factory):
    """A SQLite database migrated once per session by ``manage.py migrate`` (production settings).

    The tests that run the project's processes against a database of their own (the worker, the
    MTA pipe, the fault tests) each take a copy (``sqlite_database``) instead of each paying a
    migrate process: the same schema, and still nothing shared between tests.
    """
    path = tmp_path_factory.mktemp("migrated") / "db.sqlite3"
    migrate_sqlite(path)
    return path


@pytest.fixture
def sqlite_database(migrated_sqlite, tmp_path):
    """``DATABASE_URL`` of this test's own copy of the migrated database."""
    return copy_sqlite(migrated_sqlite, tmp_path / "db.sqlite3")


@pytest.fixture
def database_tasks(settings):
    """Tasks go to the database queue (django_tasks_db), as without REDIS_URL, instead of the
    test settings' immediate backend: enqueued rows wait for a worker."""
    settings.TASKS = {
        "default": {
            "BACKEND": "django_tasks_db.DatabaseBackend",
            "QUEUES": [settings.TASKS_QUEUE_NAME],
        }
    }


@pytest.fixture
def unreachable_rq(settings):
    """Tasks go to RQ on a Redis that is down: a port on 127.0.0.1 where nothing listens."""
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": [settings.TASKS_QUEUE_NAME]}
    }
    settings.RQ_QUEUES = {settings.TASKS_QUEUE_NAME: {"URL": f"redis://127.0.0.1:{free_port()}/0"}}
    settings.RQ = {"JOB_CLASS": "django_tasks_rq.Job"}
