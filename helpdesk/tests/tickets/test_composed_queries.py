"""The dashboard's queries sent as statements composed once (``config.composed``): the overdue
count and the staff in the assignee filter answer what the ORM answers, for every value and
after every change, and compose nothing the second time."""

from __future__ import annotations

from datetime import timedelta

import pytest
from shared.contract.sessions import compiled_queries
from shared.factories import StaffUserFactory, UserFactory

from tests.factories import TicketFactory
from tests.sla.conftest import START
from tickets.counts import COUNT_CAP, capped_count, overdue_count
from tickets.forms import staff_choices, staff_users
from tickets.models import Ticket

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
