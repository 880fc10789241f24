"""The query vocabulary the dashboard and reports use: overdue(now), due_soonest(), the count."""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING, cast

import pytest
from django.db import connection
from shared.factories import StaffUserFactory

from tests.factories import TicketFactory
from tests.sla.conftest import START
from tickets.counts import status_counts
from tickets.models import Status, Ticket

if TYPE_CHECKING:
    from accounts.models import User

pytestmark = pytest.mark.django_db

SECOND = timedelta(seconds=1)


def due(at, **fields):
    return TicketFactory.create(due_at=at, **fields)


def test_a_target_due_exactly_now_is_not_yet_overdue():
    due(START)

    assert not Ticket.objects.overdue(START).exists()


def test_a_target_due_a_second_ago_is_overdue():
    ticket = due(START)

    assert list(Ticket.objects.overdue(START + SECOND)) == [ticket]


def test_pending_and_resolved_tickets_are_never_overdue():
    TicketFactory.create(status=Status.PENDING, resolution_time_left=-timedelta(days=3))
    TicketFactory.create(status=Status.RESOLVED, resolution_due_at=START - timedelta(days=3))

    assert not Ticket.objects.overdue(START).exists()


def test_due_soonest_lists_running_clocks_only_soonest_first():
    later = due(START + timedelta(hours=5))
    overdue = due(START - timedelta(hours=1))
    sooner = due(START + timedelta(hours=1))
    TicketFactory.create(status=Status.PENDING)
    TicketFactory.create(status=Status.RESOLVED)

    assert list(Ticket.objects.due_soonest()) == [overdue, sooner, later]


def test_due_soonest_breaks_ties_by_ticket_number_for_stable_pages():
    first, second = due(START), due(START)

    assert list(Ticket.objects.due_soonest()) == [first, second]


def test_the_overdue_count_comes_with_the_status_counts_in_two_small_queries(
    django_assert_num_queries,
):
    agent = cast("User", StaffUserFactory.create())
    due(START - SECOND, assignee=agent)
    due(START - timedelta(days=1))
    due(START)  # due exactly now: not yet
    TicketFactory.create(status=Status.PENDING)

    # the tally, then the overdue count (capped: tickets.counts)
    with django_assert_num_queries(2):
        counts = status_counts(user=agent, now=START)

    assert counts["overdue"] == 2
    assert (counts["open"], counts["pending"], counts["mine"]) == (3, 1, 1)


def test_the_status_counts_leave_out_overdue_without_a_time():
    due(START - timedelta(days=1))

    assert "overdue" not in status_counts()


@pytest.mark.parametrize(
    "tickets",
    [
        pytest.param(lambda: Ticket.objects.overdue(START).order_by("due_at", "pk"), id="overdue"),
        pytest.param(lambda: Ticket.objects.due_soonest()[:25], id="due-soonest"),
    ],
)
def test_the_due_filters_read_the_partial_due_index(tickets):
    for hours in range(-20, 20):
        due(START + timedelta(hours=hours))
    TicketFactory.create_batch(40, status=Status.RESOLVED)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:  # a few rows: make the planner show its index
            cursor.execute("SET LOCAL enable_seqscan = off")

    plan = tickets().explain()

    # PostgreSQL, planning a few dozen rows, may read them through the narrower
    # (assignee, status, due_at) index instead (whichever statistics autovacuum last left).
    assert "ticket_due_idx" in plan or (
        connection.vendor == "postgresql" and "ticket_assignee_status_due_idx" in plan
    )


def test_the_capped_overdue_count_reads_an_index_on_due_at():
    for hours in range(-20, 20):
        due(START + timedelta(hours=hours))
    TicketFactory.create_batch(40, status=Status.RESOLVED)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:  # a few rows: make the planner show its index
            cursor.execute("SET LOCAL enable_seqscan = off")
    plan = Ticket.objects.overdue(START).order_by().values("pk")[:1001].explain()

    # The partial due index, or the (assignee, status, due_at) one (the planner's choice).
    assert "ticket_due_idx" in plan or "ticket_assignee_status_due_idx" in plan
