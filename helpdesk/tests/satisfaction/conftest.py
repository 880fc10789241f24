import pytest
from django.utils import timezone

from satisfaction import services
from tests.factories import TicketFactory
from tickets.models import Status


@pytest.fixture
def resolved_ticket(user):
    """A ticket of the ``user`` fixture, resolved a moment ago."""
    return TicketFactory.create(
        creator=user, title="Printer on fire", status=Status.RESOLVED, resolved_at=timezone.now()
    )


@pytest.fixture
def links(resolved_ticket):
    """The "good" and "bad" links of ``resolved_ticket``'s resolution, as the e-mail has them."""
    return services.rating_links(resolved_ticket)
