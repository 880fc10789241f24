"""tickets.counts: the tally the triggers keep, the capped counts, and the paginators on them."""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING, cast

import pytest
from django.core.paginator import Paginator
from django.db import connection
from django.db.models import Count
from django.urls import reverse
from django.utils import timezone
from shared.factories import StaffUserFactory, UserFactory

from tests.factories import TicketFactory
from tests.tickets.admin_forms import phoned_in_ticket
from tickets import reopening, services
from tickets.counts import (
    COUNT_CAP,
    CountedPaginator,
    Tally,
    capped_count,
    rebuild_tally,
    status_counts,
)
from tickets.models import Priority, Status, Ticket, TicketChannel, TicketTally

if TYPE_CHECKING:
    from accounts.models import User

pytestmark = pytest.mark.django_db


def counted_from_the_tickets() -> list[tuple[str, str, int, int]]:
    """What the tally must hold: the tickets grouped and counted the slow way."""
    groups = Ticket.objects.order_by().values_list("status", "priority", "assignee")
    return sorted(
        (status, priority, assignee or 0, tickets)
        for status, priority, assignee, tickets in groups.annotate(tickets=Count("pk"))
    )


def assert_tally_is_right() -> None:
    assert sorted(Tally().groups) == counted_from_the_tickets()


# --- The tally follows every way a ticket is written ----------------------------------------


def test_opening_a_ticket_counts_it(user):
    services.open_ticket(creator=user, title="Broken", description="It is.", priority="high")

    assert Tally().groups == [(Status.OPEN, Priority.HIGH, 0, 1)]


def test_each_change_through_the_service_moves_the_ticket_between_groups(user, staff_user):
    ticket = services.open_ticket(creator=user, title="A", description="B", priority="low")
    TicketFactory.create_batch(2)

    services.update_ticket(ticket=ticket, actor=staff_user, status=Status.PENDING)
    assert_tally_is_right()
    services.update_ticket(ticket=ticket, actor=staff_user, priority=Priority.URGENT)
    assert_tally_is_right()
    services.update_ticket(ticket=ticket, actor=staff_user, assignee=staff_user)
    assert_tally_is_right()
    services.update_ticket(ticket=ticket, actor=staff_user, status=Status.RESOLVED, assignee=None)
    assert_tally_is_right()
    assert Tally().count(status=Status.RESOLVED, priority=Priority.URGENT, assignee_key=0) == 1


def test_a_customer_reply_that_reopens_a_ticket_moves_it_back_to_open(user, staff_user):
    ticket = TicketFactory.create(creator=user)
    services.update_ticket(ticket=ticket, actor=staff_user, status=Status.RESOLVED)

    landed = reopening.reply(ticket=ticket, author=user, body="Still broken.", internal=False)

    assert landed.reopened
    assert Tally().count(status=Status.OPEN) == 1
    assert_tally_is_right()


def test_bulk_create_queryset_update_and_delete_keep_the_tally(user):
    """The paths no service sees (the benchmark's seeding, a data fix, the admin's delete)."""
    agent = cast("User", StaffUserFactory.create())
    Ticket.objects.bulk_create(
        Ticket(title=f"T{n}", description="-", creator=user, priority=Priority.values[n % 4])
        for n in range(12)
    )
    assert_tally_is_right()

    Ticket.objects.filter(priority=Priority.LOW).update(assignee=agent)
    assert_tally_is_right()
    Ticket.objects.filter(priority=Priority.HIGH).update(title="Renamed")  # no tracked column
    assert_tally_is_right()
    Ticket.objects.filter(priority=Priority.NORMAL).delete()
    assert_tally_is_right()
    Ticket.objects.order_by("pk")[0].delete()
    assert_tally_is_right()


def test_the_admin_paths_keep_the_tally(superuser_client, superuser, user):
    superuser_client.post(reverse("admin:tickets_ticket_add"), phoned_in_ticket(user.pk))
    ticket = Ticket.objects.get()
    superuser_client.post(
        reverse("admin:tickets_ticket_changelist"),
        {"action": "assign_to_me", "_selected_action": [ticket.pk]},
    )

    assert Tally().groups == [(Status.OPEN, Priority.HIGH, superuser.pk, 1)]


def test_a_ticket_opened_by_email_is_counted(user):
    services.open_ticket(
        creator=user,
        title="By mail",
        description="-",
        priority="normal",
        channel=TicketChannel.EMAIL,
    )

    assert status_counts()["open"] == 1


def test_a_tally_going_below_zero_is_refused_by_the_database():
    from django.db import IntegrityError, transaction

    TicketTally.objects.create(status=Status.OPEN, priority=Priority.LOW, assignee_key=0)
    with pytest.raises(IntegrityError), transaction.atomic():
        TicketTally.objects.update(tickets=-1)


def test_rebuild_recounts_a_tally_that_was_tampered_with():
    TicketFactory.create_batch(3)
    TicketFactory.create(status=Status.RESOLVED, priority=Priority.URGENT)
    TicketTally.objects.update(tickets=0)
    TicketTally.objects.create(status=Status.PENDING, priority=Priority.LOW, assignee_key=99)

    rebuild_tally()

    assert_tally_is_right()
    assert status_counts()["total"] == 4


# --- The cards ------------------------------------------------------------------------------


def test_the_cards_come_from_one_read_of_the_tally(django_assert_num_queries):
    agent = cast("User", StaffUserFactory.create())
    TicketFactory.create_batch(2, status=Status.OPEN)
    TicketFactory.create(status=Status.OPEN, assignee=agent)
    TicketFactory.create(status=Status.PENDING, assignee=agent)
    TicketFactory.create(status=Status.RESOLVED, assignee=agent)

    with django_assert_num_queries(1):
        counts = status_counts(user=agent)

    assert counts == {
        "open": 3,
        "pending": 1,
        "resolved": 1,
        "total": 5,
        "unassigned": 2,
        "mine": 2,
    }


def test_the_cards_without_a_user_leave_out_mine():
    TicketFactory.create(status=Status.RESOLVED)

    assert status_counts() == {"open": 0, "pending": 0, "resolved": 1, "total": 1, "unassigned": 0}


# --- Capped counts: exact up to 1,000, "1,000+" past it -----------------------------------


def _overdue(count: int) -> None:
    creator = cast("User", UserFactory.create())
    an_hour_ago = timezone.now() - timedelta(hours=1)
    Ticket.objects.bulk_create(
        Ticket(title=f"Late {n}", description="-", creator=creator, due_at=an_hour_ago)
        for n in range(count)
    )


def _card(response) -> str:
    html = response.content.decode()
    card = html[html.index('class="stat-card stat-overdue"') :]
    return card[card.index('stat-number">') + len('stat-number">') : card.index("</span>")]


def test_the_cap_is_1000():
    assert COUNT_CAP == 1000


def test_the_overdue_card_shows_exactly_1000(staff_client):
    _overdue(1000)

    assert _card(staff_client.get("/dashboard/")) == "1,000"


def test_the_overdue_card_shows_1000_plus_past_it(staff_client):
    _overdue(1001)

    assert _card(staff_client.get("/dashboard/")) == "1,000+"


def test_capped_count_stops_one_past_the_cap():
    _overdue(1002)

    assert capped_count(Ticket.objects.all()) == 1001


def test_a_search_past_the_cap_offers_40_pages_and_says_1000_plus(staff_client):
    _overdue(1001)

    response = staff_client.get("/dashboard/", {"q": "Late", "page": "999"})

    assert response.context["paginator"].num_pages == 40
    assert response.context["page_obj"].number == 40
    assert b"1,000+ tickets: narrow the filters to see the rest" in response.content


def test_a_search_of_exactly_1000_is_counted_exactly(staff_client):
    _overdue(1000)

    response = staff_client.get("/dashboard/", {"q": "Late"})

    assert response.context["paginator"].count == 1000
    assert b"1000 tickets" in response.content
    assert b"narrow the filters" not in response.content


def test_the_unfiltered_dashboard_pages_through_every_ticket_past_the_cap(staff_client):
    _overdue(1001)

    response = staff_client.get("/dashboard/", {"page": "41"})

    assert response.context["paginator"].count == 1001
    assert [t.title for t in response.context["tickets"]] == ["Late 0"]


# --- Pages in the second half are read from the other end ---------------------------------


@pytest.mark.parametrize(
    "ordering", [("-created_at", "-pk"), ("priority_rank", "-created_at", "-pk")]
)
def test_every_page_read_from_either_end_is_the_page_a_plain_paginator_gives(ordering):
    creator = cast("User", UserFactory.create())
    Ticket.objects.bulk_create(
        Ticket(title=f"T{n}", description="-", creator=creator, priority=Priority.values[n % 4])
        for n in range(61)
    )
    tickets = Ticket.objects.order_by(*ordering)
    plain = Paginator(tickets, 25)
    counted = CountedPaginator(tickets, 25, count=61)

    for number in (1, 2, 3):
        assert list(counted.page(number)) == list(plain.page(number))


def test_a_late_page_reads_a_short_offset_from_the_end(django_assert_num_queries):
    creator = cast("User", UserFactory.create())
    Ticket.objects.bulk_create(
        Ticket(title=f"T{n}", description="-", creator=creator) for n in range(100)
    )
    counted = CountedPaginator(Ticket.objects.order_by("-created_at", "-pk"), 25, count=100)

    with django_assert_num_queries(1) as queries:
        list(counted.page(4))

    assert "OFFSET" not in queries.captured_queries[0]["sql"].upper()


# --- The indexes the pages read (SQLite; PostgreSQL picks by its statistics) -------------


@pytest.mark.skipif(
    connection.vendor != "sqlite",
    reason="PostgreSQL plans a few test rows with a sequential scan and a sort",
)
@pytest.mark.parametrize(
    ("query", "index"),
    [
        ({}, "ticket_created_idx"),
        ({"sort": "created"}, "ticket_created_idx"),
        ({"sort": "-updated"}, "ticket_updated_idx"),
        ({"sort": "-priority"}, "ticket_priority_rank_idx"),
        ({"sort": "priority"}, "ticket_low_priority_idx"),
        ({"sort": "due"}, "ticket_due_idx"),
        ({"status": "open"}, "ticket_status_created_idx"),
        ({"priority": "high"}, "ticket_priority_created_idx"),
        ({"assignee": "unassigned"}, "ticket_assignee_created_idx"),
        ({"due": "overdue", "sort": "due"}, "ticket_due_idx"),
    ],
)
def test_each_dashboard_list_reads_its_index_without_sorting(staff_client, query, index):
    TicketFactory.create_batch(5)

    response = staff_client.get("/dashboard/", query)
    plan = response.context["paginator"].object_list.explain()

    assert index in plan
    assert "TEMP B-TREE FOR ORDER BY" not in plan.replace("RIGHT PART OF ORDER BY", "")
