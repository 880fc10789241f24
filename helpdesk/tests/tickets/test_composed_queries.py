"""The dashboard's queries sent as statements composed once (``config.composed``): the overdue
count, the staff in the assignee filter, the tally and the page's customers answer what the ORM
answers, for every value and after every change, and compose nothing the second time (the
page's rows: ``test_dashboard_tickets.py``)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from shared.contract.sessions import compiled_queries
from shared.factories import StaffUserFactory, UserFactory

from tests.factories import TicketFactory
from tests.sla.conftest import START
from tickets.counts import COUNT_CAP, Tally, capped_count, overdue_count
from tickets.dashboard_tickets import DashboardQuery, DashboardTickets, creator_names
from tickets.forms import staff_choices, staff_users
from tickets.models import Priority, Status, Ticket, TicketTally

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("nothing_composed_yet")]


def _due(hours: int, count: int = 1) -> None:
    TicketFactory.create_batch(count, due_at=START + timedelta(hours=hours))


@pytest.mark.parametrize("hours", [-30, -2, 0, 2, 30])
def test_the_overdue_count_is_the_orms_at_every_time(hours):
    for offset in range(-24, 25, 6):
        _due(offset)
    now = START + timedelta(hours=hours, seconds=1)
    overdue_count(START)  # composed here, with another time

    assert overdue_count(now) == capped_count(Ticket.objects.overdue(now))


def test_the_overdue_count_stops_past_1000():
    _due(-1, count=COUNT_CAP + 5)

    assert overdue_count(START) == 1001


def test_a_second_overdue_count_composes_no_query(monkeypatch):
    _due(-1)
    overdue_count(START)
    compiled = compiled_queries(monkeypatch)

    assert overdue_count(START + timedelta(days=1)) == 1
    assert compiled == []


def test_the_staff_choices_follow_every_change_to_the_staff():
    ana = StaffUserFactory.create(username="ana")
    UserFactory.create(username="customer")
    assert staff_choices() == [(str(ana.pk), "ana")]

    bob = StaffUserFactory.create(username="bob")
    ana.is_active = False
    ana.save()

    assert staff_choices() == [(str(bob.pk), "bob")]
    assert staff_choices() == [(str(u.pk), u.get_username()) for u in staff_users()]


def test_the_staff_choices_compose_no_query_the_second_time(monkeypatch):
    StaffUserFactory.create_batch(2)
    staff_choices()
    compiled = compiled_queries(monkeypatch)

    assert len(staff_choices()) == 2
    assert compiled == []


def test_the_tally_follows_every_change_to_the_tickets():
    ticket = TicketFactory.create(priority=Priority.HIGH)
    assert Tally().groups == [(Status.OPEN, Priority.HIGH, 0, 1)]

    TicketFactory.create(priority=Priority.HIGH)
    Ticket.objects.filter(pk=ticket.pk).update(status=Status.PENDING)

    groups = TicketTally.objects.filter(tickets__gt=0)
    expected = groups.values_list("status", "priority", "assignee_key", "tickets")
    assert sorted(Tally().groups) == sorted(expected)
    assert sorted(Tally().groups) == [
        (Status.OPEN, Priority.HIGH, 0, 1),
        (Status.PENDING, Priority.HIGH, 0, 1),
    ]


def test_a_second_tally_composes_no_query(monkeypatch):
    TicketFactory.create()
    Tally()
    compiled = compiled_queries(monkeypatch)

    assert Tally().count() == 1
    assert compiled == []


def test_the_customers_names_are_each_rows_own_for_every_number_of_customers():
    customers = UserFactory.create_batch(4)
    for number, customer in enumerate(customers):
        TicketFactory.create_batch(number + 1, creator=customer)
    names = {customer.pk: customer.get_username() for customer in customers}

    for count in (1, 3, 10, 6, 1):  # each number of customers composed, then bound again
        rows = DashboardTickets(DashboardQuery(sort="created"))[10 - count : 10]
        assert creator_names(rows) == {row.creator_id: names[row.creator_id] for row in rows}


def test_the_customers_names_compose_no_query_for_a_known_number(monkeypatch):
    TicketFactory.create_batch(6)
    rows = DashboardTickets(DashboardQuery())[0:25]
    creator_names(rows[:3])
    compiled = compiled_queries(monkeypatch)

    assert len(creator_names(rows[3:])) == 3
    assert compiled == []
