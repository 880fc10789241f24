"""The dashboard's service-level parts: the overdue card, filter and badge, the due sort."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.cache import cache
from shared.factories import StaffUserFactory, UserFactory

from tests.factories import TicketFactory
from tests.sla.conftest import START
from tickets.forms import cacheable_dashboard_query
from tickets.models import Status

pytestmark = pytest.mark.django_db

HOUR = timedelta(hours=1)


def _titles(response):
    return [ticket.title for ticket in response.context["tickets"]]


def _due(title, at, **fields):
    return TicketFactory.create(title=title, due_at=at, **fields)


@pytest.fixture
def board(clock):
    """Two overdue tickets, one due exactly now, one due later, one paused, one resolved."""
    _due("Overdue by a day", START - 24 * HOUR)
    _due("Overdue by a second", START - timedelta(seconds=1))
    _due("Due now", START)
    _due("Due tomorrow", START + 24 * HOUR)
    TicketFactory.create(title="Waiting on the customer", status=Status.PENDING)
    TicketFactory.create(title="Done", status=Status.RESOLVED)


def test_the_overdue_card_counts_open_tickets_due_before_now(staff_client, board):
    response = staff_client.get("/dashboard/")

    assert response.context["counts"]["overdue"] == 2
    content = response.content.decode()
    assert '<span class="stat-number">2</span> Overdue</a>' in content
    assert 'href="?due=overdue&amp;sort=due"' in content


def test_the_overdue_filter_lists_only_overdue_tickets(staff_client, board):
    response = staff_client.get("/dashboard/", {"due": "overdue", "sort": "due"})

    assert _titles(response) == ["Overdue by a day", "Overdue by a second"]


def test_a_ticket_due_now_becomes_overdue_a_second_later(staff_client, board, clock):
    clock.advance(seconds=1)

    response = staff_client.get("/dashboard/", {"due": "overdue", "sort": "due"})

    assert _titles(response) == ["Overdue by a day", "Overdue by a second", "Due now"]


def test_the_due_soonest_sort_lists_running_clocks_soonest_first(staff_client, board):
    response = staff_client.get("/dashboard/", {"sort": "due"})

    assert _titles(response) == [
        "Overdue by a day",
        "Overdue by a second",
        "Due now",
        "Due tomorrow",
    ]


def test_the_due_soonest_sort_with_nothing_due_says_why_the_list_is_empty(staff_client, board):
    response = staff_client.get("/dashboard/", {"sort": "due", "status": "pending"})

    assert "lists only open tickets with a target running" in response.content.decode()


def test_each_row_shows_its_next_due_time_and_an_overdue_badge(staff_client, board):
    content = staff_client.get("/dashboard/", {"sort": "due"}).content.decode()
    rows = content.split("<tr>")[2:]

    assert '<time datetime="2026-03-01T09:00:00+00:00">' in rows[0]
    assert 'class="badge badge-overdue">Overdue</span>' in rows[0]
    assert '<time datetime="2026-03-02T09:00:00+00:00">' in rows[2]
    assert "badge-overdue" not in rows[2]  # due exactly now


def test_a_pending_row_says_its_clock_is_paused(staff_client, board):
    content = staff_client.get("/dashboard/", {"status": "pending"}).content.decode()

    assert '<td data-label="Next due"><span class="muted">Paused</span></td>' in content


@pytest.mark.parametrize("value", ["soon", "OVERDUE", "1"])
def test_a_due_filter_outside_the_allowlist_is_a_form_error(staff_client, board, value):
    response = staff_client.get("/dashboard/", {"due": value})

    assert response.status_code == 200
    assert "due" in response.context["filter_form"].errors
    assert len(response.context["tickets"]) == 6


def test_the_overdue_and_due_soonest_boards_are_cacheable_under_one_key():
    from django.http import QueryDict

    query = cacheable_dashboard_query(QueryDict("sort=due&due=overdue&q="))

    assert query is not None
    assert query.filters.urlencode() == "due=overdue&sort=due"


@pytest.mark.parametrize("count", [5, 120])
def test_the_dashboard_query_count_does_not_grow_with_overdue_tickets(
    staff_client, clock, django_assert_num_queries, count
):
    customers = UserFactory.create_batch(3)
    agents = StaffUserFactory.create_batch(2)
    for number in range(count):
        _due(
            f"Ticket {number}",
            START + (number - count // 2) * HOUR,
            creator=customers[number % 3],
            assignee=agents[number % 2] if number % 3 else None,
        )

    for query in ({"due": "overdue"}, {"sort": "due"}):
        cache.clear()
        # session, user, last change, then for the board: assignee filter choices, the tally
        # (cards), the capped overdue count, the capped page count, page rows (+assignee),
        # their creators
        with django_assert_num_queries(9):
            response = staff_client.get("/dashboard/", query)
        assert response.status_code == 200
