import pytest
from django.core.cache import cache
from django.test import Client
from shared.processes import collect_static

from tests.factories import TicketFactory
from tests.processes import PROJECT_DIR

ROLES = ("anonymous", "creator", "other", "staff")


@pytest.fixture(autouse=True)
def _empty_cache():
    """Start every test with an empty cache: what one test cached must not answer another."""
    cache.clear()
    yield
    cache.clear()


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
