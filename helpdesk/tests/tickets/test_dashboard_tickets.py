"""The dashboard's tickets read through composed statements (``tickets.dashboard_tickets``):
every shape (filters, sort, from either end, page bounds) answers what the ORM answers, a shape
composed for some values answers for others, a search is never composed, and a known shape
composes nothing the second time."""

from __future__ import annotations

import itertools
from dataclasses import replace
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, cast

import pytest
from django.core.paginator import Paginator
from django.utils import timezone
from shared.contract.sessions import compiled_queries
from shared.factories import StaffUserFactory, UserFactory

from tickets.counts import CountedPaginator, capped_count
from tickets.dashboard_tickets import (
    DASHBOARD_SORTS,
    DashboardQuery,
    DashboardRow,
    DashboardTickets,
)
from tickets.models import Priority, Status, Ticket

if TYPE_CHECKING:
    from accounts.models import User

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("nothing_composed_yet")]

COLUMNS = (
    "pk",
    "title",
    "status",
    "priority",
    "creator_id",
    "assignee_id",
    "assignee__username",
    "updated_at",
    "due_at",
)


@pytest.fixture
def board():
    """Tickets in every status and priority, assigned to two agents or nobody, the open ones
    due every 20 minutes from three hours ago; and the time they were made."""
    now = timezone.now()
    agents = [cast("User", StaffUserFactory.create(username=name)) for name in ("ada", "bo")]
    customers = [cast("User", UserFactory.create()) for _ in range(2)]
    tickets = []
    for number in range(36):
        status = Status.values[number % 3]
        tickets.append(
            Ticket(
                title=f"Ticket {number}",
                description="printer on floor 7" if number % 5 == 0 else "-",
                creator=customers[number % 2],
                status=status,
                priority=Priority.values[number % 4],
                assignee=[None, *agents][(number // 3) % 3],
                due_at=now - timedelta(hours=3) + timedelta(minutes=20 * number)
                if status == Status.OPEN
                else None,
                resolved_at=now if status == Status.RESOLVED else None,
            )
        )
    Ticket.objects.bulk_create(tickets)
    return agents, now


def pairs(agents: list[User], now: datetime) -> list[tuple[DashboardQuery, DashboardQuery]]:
    """Two queries of each shape: the first composes it, the second only binds its values."""
    ada, bo = agents
    later = now + timedelta(hours=2)
    return [
        (DashboardQuery(), DashboardQuery()),
        (DashboardQuery(status=Status.OPEN), DashboardQuery(status=Status.PENDING)),
        (DashboardQuery(priority=Priority.HIGH), DashboardQuery(priority=Priority.LOW)),
        (DashboardQuery(assignee=ada.pk), DashboardQuery(assignee=bo.pk)),
        (DashboardQuery(unassigned=True), DashboardQuery(unassigned=True)),
        (DashboardQuery(overdue_at=now), DashboardQuery(overdue_at=later)),
        (
            DashboardQuery(status=Status.OPEN, priority=Priority.URGENT, assignee=ada.pk),
            DashboardQuery(status=Status.RESOLVED, priority=Priority.NORMAL, assignee=bo.pk),
        ),
        (
            DashboardQuery(unassigned=True, overdue_at=now, priority=Priority.LOW),
            DashboardQuery(unassigned=True, overdue_at=later, priority=Priority.HIGH),
        ),
    ]


def orm_rows(query: DashboardQuery, *, from_end: bool = False) -> list[DashboardRow]:
    tickets = query.tickets()
    if from_end:
        tickets = tickets.reverse()
    return [DashboardRow(*row) for row in tickets.values_list(*COLUMNS)]


@pytest.mark.parametrize("sort", DASHBOARD_SORTS)
def test_every_shape_answers_what_the_orm_answers_for_each_of_its_values(board, sort):
    agents, now = board
    for first, second in pairs(agents, now):
        for query, from_end in itertools.product(
            (replace(first, sort=sort), replace(second, sort=sort)), (False, True)
        ):
            expected = orm_rows(query, from_end=from_end)
            listed = DashboardTickets(query, from_end=from_end)

            for start, stop in ((0, 5), (5, 10), (10, 50)):
                assert listed[start:stop] == expected[start:stop], (query, from_end, start)
            assert listed.capped_count() == len(expected) == capped_count(query.tickets())


def test_the_values_bound_are_this_requests_not_the_composing_ones(board):
    (ada, bo), now = board
    DashboardTickets(DashboardQuery(assignee=ada.pk, overdue_at=now))[0:50]

    rows = DashboardTickets(DashboardQuery(assignee=bo.pk, overdue_at=now + timedelta(hours=9)))

    assert rows[0:50]
    assert {row.assignee_name for row in rows[0:50]} == {"bo"}
    assert any(row.due_at and row.due_at > now for row in rows[0:50])


def test_a_search_is_never_composed_and_finds_what_the_orm_finds(board, monkeypatch):
    query = DashboardQuery(text="PRINTER", sort="-priority")
    expected = orm_rows(query)[0:25]
    DashboardTickets(query)[0:25]
    compiled = compiled_queries(monkeypatch)

    rows = DashboardTickets(query)[0:25]
    count = DashboardTickets(query).capped_count()

    assert rows == expected
    assert len(rows) == count == 8
    assert compiled == ["tickets.Ticket", "tickets.Ticket"]


def test_a_known_shape_composes_no_query_the_second_time(board, monkeypatch):
    (ada, bo), now = board
    first = DashboardQuery(status=Status.OPEN, assignee=ada.pk, overdue_at=now, sort="due")
    DashboardTickets(first)[0:25]
    DashboardTickets(first).capped_count()
    second = replace(first, assignee=bo.pk, overdue_at=now + timedelta(hours=1))
    expected = orm_rows(second)
    compiled = compiled_queries(monkeypatch)

    assert DashboardTickets(second)[0:25] == expected[0:25]
    assert DashboardTickets(second).capped_count() == len(expected) > 0
    assert compiled == []


def test_a_row_holds_the_tickets_values_and_types(board):
    (ada, _), _ = board
    ticket = Ticket.objects.filter(assignee=ada, due_at__isnull=False).latest("pk")

    row = next(r for r in DashboardTickets(DashboardQuery())[0:50] if r.pk == ticket.pk)

    assert (row.title, row.status, row.priority) == (ticket.title, ticket.status, ticket.priority)
    assert (row.creator_id, row.assignee_id, row.assignee_name) == (
        ticket.creator_id,
        ada.pk,
        "ada",
    )
    assert isinstance(row.updated_at, datetime)
    assert (row.updated_at, row.due_at) == (ticket.updated_at, ticket.due_at)


@pytest.mark.parametrize("status", Status.values)
def test_a_row_offers_the_tickets_own_actions(board, status):
    (ada, bo), _ = board
    ticket = Ticket.objects.filter(status=status, assignee=ada).earliest("pk")
    row = next(r for r in DashboardTickets(DashboardQuery())[0:50] if r.pk == ticket.pk)

    assert row.status_actions == ticket.status_actions
    assert row.is_assigned_to(ada)
    assert not row.is_assigned_to(bo)


def test_an_empty_slice_sends_no_query(board, django_assert_num_queries):
    with django_assert_num_queries(0):
        assert DashboardTickets(DashboardQuery())[3:3] == []


@pytest.mark.parametrize("sort", ["-created", "priority", "due"])
def test_the_counted_paginator_reads_late_pages_from_the_end_the_same(board, sort):
    query = DashboardQuery(sort=sort)
    expected = orm_rows(query)
    counted = CountedPaginator(DashboardTickets(query), 5, count=len(expected))
    plain = Paginator(expected, 5)

    for number in plain.page_range:
        assert list(counted.page(number)) == list(plain.page(number)), number


def test_the_tally_counts_exactly_the_filters_it_keeps(board):
    (ada, _), now = board

    assert DashboardQuery(status=Status.OPEN, assignee=ada.pk).tallied_filters() == {
        "status": Status.OPEN,
        "priority": None,
        "assignee_key": ada.pk,
    }
    assert DashboardQuery(unassigned=True).tallied_filters() == {
        "status": None,
        "priority": None,
        "assignee_key": 0,
    }
    assert DashboardQuery(text="x").tallied_filters() is None
    assert DashboardQuery(overdue_at=now).tallied_filters() is None
    assert DashboardQuery(sort="due").tallied_filters() is None
