"""/dashboard/: staff only, counts, allowlisted filters and sorts, pagination, row actions."""

import pytest
from shared.factories import StaffUserFactory, UserFactory

from tests.factories import TicketFactory
from tickets.models import Priority, Status

pytestmark = pytest.mark.django_db


def _titles(response):
    return [ticket.title for ticket in response.context["tickets"]]


def test_dashboard_lists_every_customers_tickets(staff_client, user, other_user):
    TicketFactory.create(creator=user, title="Alice's")
    TicketFactory.create(creator=other_user, title="Bob's")

    response = staff_client.get("/dashboard/")

    assert response.status_code == 200
    assert sorted(_titles(response)) == ["Alice's", "Bob's"]
    assert b"<title>Dashboard" in response.content


def test_dashboard_counts_tickets_per_status(staff_client, staff_user):
    TicketFactory.create_batch(3, status=Status.OPEN)
    TicketFactory.create(status=Status.PENDING, assignee=staff_user)
    TicketFactory.create_batch(2, status=Status.RESOLVED)

    counts = staff_client.get("/dashboard/").context["counts"]

    assert counts["open"] == 3
    assert counts["pending"] == 1
    assert counts["resolved"] == 2
    assert counts["unassigned"] == 3
    assert counts["mine"] == 1
    assert counts["total"] == 6


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"status": "pending"}, ["pending-high-agent"]),
        ({"priority": "high"}, ["pending-high-agent"]),
        ({"priority": "low"}, ["resolved-low-colleague"]),
        ({"assignee": "mine"}, ["pending-high-agent"]),
        ({"assignee": "unassigned"}, ["open-normal-nobody"]),
        ({"q": "MONITOR"}, ["open-normal-nobody"]),
        ({"q": "keyboard"}, ["resolved-low-colleague"]),
        ({"status": "open", "assignee": "mine"}, []),
    ],
)
def test_dashboard_filters(staff_client, staff_user, query, expected):
    colleague = StaffUserFactory.create(username="colleague")
    TicketFactory.create(title="open-normal-nobody", description="The monitor flickers.")
    TicketFactory.create(
        title="pending-high-agent",
        status=Status.PENDING,
        priority=Priority.HIGH,
        assignee=staff_user,
    )
    TicketFactory.create(
        title="resolved-low-colleague",
        description="Keyboard missing keys.",
        status=Status.RESOLVED,
        priority=Priority.LOW,
        assignee=colleague,
    )

    response = staff_client.get("/dashboard/", query)

    assert _titles(response) == expected


def test_dashboard_filters_by_a_named_staff_member(staff_client):
    colleague = StaffUserFactory.create()
    TicketFactory.create(title="theirs", assignee=colleague)
    TicketFactory.create(title="nobody's")

    response = staff_client.get("/dashboard/", {"assignee": colleague.pk})

    assert _titles(response) == ["theirs"]


@pytest.mark.parametrize(
    "query",
    [
        {"assignee": "assignee__password__startswith"},
        {"assignee": 424242},
        {"status": "status__in"},
        {"priority": "urgent' OR 1=1 --"},
        {"sort": "creator__password"},
        {"sort": "-assignee__password"},
        {"sort": "?"},
    ],
)
def test_filter_and_sort_keys_outside_the_allowlist_are_form_errors(staff_client, query):
    TicketFactory.create_batch(2)

    response = staff_client.get("/dashboard/", query)

    assert response.status_code == 200
    assert response.context["filter_form"].errors
    assert len(response.context["tickets"]) == 2  # the invalid filter is ignored
    assert b'class="error"' in response.content


def test_a_customers_password_hash_cannot_be_probed_through_filters(staff_client, user):
    TicketFactory.create(creator=user)

    response = staff_client.get(
        "/dashboard/", {"creator__password__startswith": "md5", "assignee": "", "sort": ""}
    )

    assert response.status_code == 200
    assert not response.context["filter_form"].errors
    assert len(response.context["tickets"]) == 1


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        ("-created", ["third", "second", "first"]),
        ("created", ["first", "second", "third"]),
        ("-priority", ["second", "first", "third"]),
        ("priority", ["third", "first", "second"]),
        ("", ["third", "second", "first"]),
    ],
)
def test_dashboard_sorts_on_allowlisted_keys(staff_client, sort, expected):
    TicketFactory.create(title="first", priority=Priority.HIGH)
    TicketFactory.create(title="second", priority=Priority.URGENT)
    TicketFactory.create(title="third", priority=Priority.LOW)

    response = staff_client.get("/dashboard/", {"sort": sort})

    assert _titles(response) == expected


def test_dashboard_sorts_by_last_update(staff_client, staff_user):
    from tickets import services

    first = TicketFactory.create(title="first")
    TicketFactory.create(title="second")
    services.update_ticket(ticket=first, actor=staff_user, priority=Priority.HIGH)

    response = staff_client.get("/dashboard/", {"sort": "-updated"})

    assert _titles(response) == ["first", "second"]


def test_dashboard_is_paginated_and_keeps_filters_in_page_links(staff_client):
    TicketFactory.create_batch(30, priority=Priority.HIGH)

    response = staff_client.get("/dashboard/", {"priority": "high"})

    assert len(response.context["tickets"]) == 25
    assert b"?priority=high&amp;page=2" in response.content


def test_each_row_offers_the_allowed_status_moves_by_post(staff_client):
    TicketFactory.create(status=Status.RESOLVED)

    content = staff_client.get("/dashboard/").content.decode()

    assert 'method="post"' in content
    assert 'name="status" value="open"' in content
    assert "Reopen" in content
    assert 'name="status" value="pending"' not in content


def test_dashboard_row_status_change_is_recorded_and_returns_to_the_dashboard(staff_client, ticket):
    page = "/dashboard/?status=open"
    assert f'value="{page}"' in staff_client.get(page).content.decode()

    response = staff_client.post(
        f"/tickets/{ticket.pk}/status/", {"status": "pending", "next": page}, follow=True
    )

    assert response.redirect_chain == [(page, 302)]
    assert [(c.field, c.new_value) for c in ticket.history.all()] == [("status", "pending")]
    assert f"Ticket #{ticket.pk}: status Open → Pending" in response.content.decode()


def test_empty_dashboard_says_so(staff_client):
    assert b"No tickets match these filters." in staff_client.get("/dashboard/").content


@pytest.mark.parametrize("count", [5, 200])
def test_dashboard_query_count_does_not_grow_with_tickets(
    staff_client, staff_user, django_assert_num_queries, count
):
    customers = UserFactory.create_batch(3)
    agents = StaffUserFactory.create_batch(2)
    for number in range(count):
        TicketFactory.create(
            creator=customers[number % 3],
            assignee=agents[number % 2] if number % 3 else None,
            status=Status.values[number % 3],
        )

    # session, user, assignee filter choices, status counts, page count, page rows (+people)
    with django_assert_num_queries(6):
        response = staff_client.get("/dashboard/", {"sort": "-priority"})

    assert response.status_code == 200
