"""Tickets with hand-set timestamps for the report tests: every figure is checked by hand."""

from datetime import UTC, date, datetime, timedelta
from typing import cast

import pytest
from shared.factories import StaffUserFactory, UserFactory

from accounts.models import User
from reports.periods import Period
from satisfaction.models import Rating
from tickets.models import Status, Ticket

#: Four full ISO weeks: Monday 1 June to Sunday 28 June 2026 (UTC in the test settings).
JUNE = Period(date(2026, 6, 1), date(2026, 6, 28))


def at(day: int, hour: int = 9, minute: int = 0, second: int = 0) -> datetime:
    """An instant in June 2026 (day 29 onwards runs into the days after the period)."""
    return datetime(2026, 6, 1, tzinfo=UTC) + timedelta(
        days=day - 1, hours=hour, minutes=minute, seconds=second
    )


@pytest.fixture
def make_ticket(db):
    """Create a ticket with the given times; ``responded``/``resolved`` are offsets from its
    creation, ``response_due``/``resolution_due`` too (the service-level deadlines)."""
    customer = cast("User", UserFactory.create())

    def make(
        created: datetime,
        *,
        assignee=None,
        responded: timedelta | None = None,
        resolved: timedelta | None = None,
        response_due: timedelta | None = None,
        resolution_due: timedelta | None = None,
        rating: str | None = None,
        rated_at: datetime | None = None,
    ) -> Ticket:
        ticket = Ticket.objects.create(
            title="A ticket",
            description="Text",
            creator=customer,
            assignee=assignee,
            status=Status.RESOLVED if resolved is not None else Status.OPEN,
            created_at=created,
            first_responded_at=created + responded if responded is not None else None,
            resolved_at=created + resolved if resolved is not None else None,
            first_response_due_at=created + response_due if response_due is not None else None,
            resolution_due_at=created + resolution_due if resolution_due is not None else None,
        )
        if rating is not None:
            Rating.objects.create(
                ticket=ticket,
                score=rating,
                created_at=rated_at or ticket.resolved_at or created,
                rated_by=customer,
            )
        return ticket

    return make


@pytest.fixture
def ann(db):
    return StaffUserFactory.create(username="ann")


@pytest.fixture
def ben(db):
    return StaffUserFactory.create(username="ben")
