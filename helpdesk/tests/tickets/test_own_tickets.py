"""A customer's "My tickets" read through composed statements (``tickets.own_tickets``): every
shape answers what the ORM answers, for every customer and status, never another customer's
ticket, and composes nothing the second time."""

from __future__ import annotations

from datetime import datetime

import pytest
from shared.contract.sessions import compiled_queries
from shared.factories import StaffUserFactory, UserFactory

from tests.factories import TicketFactory
from tickets.models import Status, Ticket
from tickets.own_tickets import ORDERING, OwnTicketRow, OwnTickets

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("nothing_composed_yet")]


@pytest.fixture
def customers():
    """Two customers with tickets in every status, some assigned, opened in one order."""
    agent = StaffUserFactory.create(username="agent")
    ana, bob = UserFactory.create(username="ana"), UserFactory.create(username="bob")
    for number in range(9):
        for customer in (ana, bob):
            TicketFactory.create(
                creator=customer,
                status=Status.values[number % 3],
                assignee=agent if number % 2 else None,
                title=f"{customer.username} {number}",
            )
    return ana, bob


def _orm(customer, status, start, stop):
    tickets = Ticket.objects.filter(creator=customer)
    if status:
        tickets = tickets.filter(status=status)
    rows = tickets.order_by(*ORDERING).values_list(
        "pk", "title", "status", "priority", "assignee__username", "created_at"
    )
    return [OwnTicketRow(*row) for row in rows[start:stop]]


@pytest.mark.parametrize("status", [None, *Status.values])
@pytest.mark.parametrize(("start", "stop"), [(0, 4), (4, 8), (8, 12), (0, 20)])
def test_every_shape_answers_what_the_orm_answers_for_each_customer(customers, status, start, stop):
    for customer in (*customers, *reversed(customers)):  # composed for one, bound for the other
        own = OwnTickets(customer, status)

        assert own[start:stop] == _orm(customer, status, start, stop)
        assert own.count() == len(_orm(customer, status, 0, None))


def test_a_shape_composed_for_one_customer_never_shows_another_customers_tickets(customers):
    ana, bob = customers
    OwnTickets(ana)[0:20]

    rows = OwnTickets(bob)[0:20]

    assert rows
    assert {row.title.split()[0] for row in rows} == {"bob"}
    assert OwnTickets(UserFactory.create())[0:20] == []
    assert OwnTickets(UserFactory.create()).count() == 0


def test_rows_hold_the_models_values_and_types(customers):
    ana, _ = customers
    newest = Ticket.objects.filter(creator=ana).order_by(*ORDERING)[0]

    row = OwnTickets(ana)[0:1][0]

    assert row.pk == newest.pk
    assert row.title == newest.title
    assert isinstance(row.created_at, datetime)
    assert row.created_at == newest.created_at
    assert row.assignee_name == (newest.assignee.username if newest.assignee else None)


def test_an_empty_slice_sends_no_query(customers, django_assert_num_queries):
    ana, _ = customers

    with django_assert_num_queries(0):
        assert OwnTickets(ana)[0:0] == []


def test_a_known_shape_composes_no_query_the_second_time(customers, monkeypatch):
    ana, bob = customers
    OwnTickets(ana, Status.OPEN)[0:20]
    OwnTickets(ana, Status.OPEN).count()
    compiled = compiled_queries(monkeypatch)

    assert len(OwnTickets(bob, Status.OPEN)[0:20]) == 3
    assert OwnTickets(bob, Status.OPEN).count() == 3
    assert compiled == []


def test_each_status_and_no_status_are_shapes_of_their_own(customers):
    ana, _ = customers

    for status in (Status.OPEN, None, Status.RESOLVED, None):
        assert OwnTickets(ana, status)[0:20] == _orm(ana, status, 0, 20)
        assert OwnTickets(ana, status).count() == len(_orm(ana, status, 0, None))
