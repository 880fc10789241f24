"""The ticket page shows staff each target; the customer sees none of them."""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING, cast

import pytest
from shared.factories import StaffUserFactory

from tickets import services
from tickets.models import Priority, Status

if TYPE_CHECKING:
    from accounts.models import User

pytestmark = pytest.mark.django_db

HOUR = timedelta(hours=1)


@pytest.fixture
def ticket(user, clock):
    """An urgent ticket opened at the clock's start: first response due in 1 h, resolution 4 h."""
    return services.open_ticket(
        creator=user, title="Server down", description="All of it.", priority=Priority.URGENT
    )


def _targets(client, ticket):
    content = client.get(ticket.get_absolute_url()).content.decode()
    section = content.split('aria-labelledby="service-targets-title"', 1)[1].split("</section>")[0]
    return " ".join(section.split())


def test_staff_see_each_targets_due_time(staff_client, ticket):
    section = _targets(staff_client, ticket)

    assert 'First response</dt> <dd class="target target-due">' in section
    assert 'Due <time datetime="2026-03-02T10:00:00+00:00">2 Mar 2026, 10:00</time>' in section
    assert '<time datetime="2026-03-02T13:00:00+00:00">' in section


def test_a_target_due_exactly_now_is_not_shown_as_overdue(staff_client, ticket, clock):
    clock.advance(hours=1)

    section = _targets(staff_client, ticket)

    assert "target-due" in section
    assert "Overdue" not in section


def test_an_overdue_target_says_by_how_long(staff_client, ticket, clock):
    clock.advance(hours=3, minutes=5)

    section = _targets(staff_client, ticket)

    assert '<span class="badge badge-overdue">Overdue</span> by 2 hours, 5 minutes' in section


def test_a_met_first_response_says_when_and_how_late(staff_client, ticket, clock):
    clock.advance(hours=2)
    agent = cast("User", StaffUserFactory.create())
    services.add_comment(ticket=ticket, author=agent, body="Rebooting.")

    section = _targets(staff_client, ticket)

    assert (
        '<span class="badge badge-met">Met</span> at <time datetime="2026-03-02T11:00:00' in section
    )
    assert "1 hour late" in section


def test_a_pending_ticket_shows_its_clock_paused_with_the_time_left(
    staff_client, staff_user, ticket, clock
):
    services.add_comment(ticket=ticket, author=staff_user, body="Which server?")
    clock.advance(hours=1, minutes=30)
    services.update_ticket(ticket=ticket, actor=staff_user, status=Status.PENDING)

    section = _targets(staff_client, ticket)

    assert "Paused while waiting on the customer: 2 hours, 30 minutes left" in section


def test_a_resolved_ticket_shows_its_resolution_met_and_an_unanswered_first_response(
    staff_client, staff_user, ticket, clock
):
    clock.advance(minutes=30)
    services.update_ticket(ticket=ticket, actor=staff_user, status=Status.RESOLVED)

    section = _targets(staff_client, ticket)

    assert "Not met</span> resolved without a public reply" in section
    assert 'Met</span> at <time datetime="2026-03-02T09:30:00+00:00">' in section


def test_the_customer_sees_no_internal_targets(user_client, ticket):
    content = user_client.get(ticket.get_absolute_url()).content.decode()

    assert "Service level" not in content
    assert "service-targets" not in content
    assert "2026-03-02T13:00:00" not in content
