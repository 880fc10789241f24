import pytest
from django.test import Client

from tests.factories import TicketFactory

ROLES = ("anonymous", "creator", "other", "staff")


@pytest.fixture
def ticket(user):
    """An open, unassigned ticket created by the ``user`` fixture (the "creator" role)."""
    return TicketFactory(creator=user, title="Printer on fire", description="It smells odd.")


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
