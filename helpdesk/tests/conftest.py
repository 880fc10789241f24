import pytest
from django.core.cache import cache
from django.test import Client

from tests.factories import TicketFactory
from tests.processes import PRODUCTION, run_python

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
    result = run_python(
        "config.settings.production",
        "from django.core.management import execute_from_command_line; "
        "execute_from_command_line(['manage.py', 'collectstatic', '--noinput', '-v0'])",
        DJANGO_STATIC_ROOT=str(static_root),
        **PRODUCTION,
    )
    assert result.returncode == 0, result.stderr
    return static_root
