"""/dashboard/: staff only, counts, allowlisted filters and sorts, pagination, row actions."""

import pytest
from django.core.cache import cache, caches
from django.core.cache.backends.locmem import LocMemCache
from django.core.cache.backends.redis import RedisCache
from shared.factories import StaffUserFactory, UserFactory

from tests.factories import TicketFactory
from tickets import services
from tickets.models import Priority, Status
from tickets.views import DashboardView

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

    # session, user, last change, then for the board: assignee filter choices, the tally
    # (cards and page count), the capped overdue count, page rows (+assignee), their creators
    with django_assert_num_queries(8):
        response = staff_client.get("/dashboard/", {"sort": "-priority"})
    # the board from the cache: session, user, last change
    with django_assert_num_queries(3):
        cached = staff_client.get("/dashboard/", {"sort": "-priority"})

    assert response.status_code == cached.status_code == 200
    assert _board(cached) == _board(response)


def _board(response):
    """The cached part of the page: everything after the row-actions form."""
    return response.content.decode().split("</form>\n", 2)[-1]


def test_the_board_is_cached_and_a_ticket_change_shows_at_once(staff_client, staff_user, ticket):
    staff_client.get("/dashboard/")
    assert "Mark pending" in staff_client.get("/dashboard/").content.decode()

    services.update_ticket(ticket=ticket, actor=staff_user, status=Status.RESOLVED)

    assert "Reopen" in staff_client.get("/dashboard/").content.decode()


def test_a_new_ticket_shows_on_the_cached_board_at_once(staff_client, user):
    staff_client.get("/dashboard/")

    services.open_ticket(creator=user, title="Brand new", description="x", priority="normal")

    content = staff_client.get("/dashboard/").content.decode()
    assert "Brand new" in content
    assert "1 ticket in total" in content


def test_a_reply_moves_the_ticket_up_the_cached_recently_updated_board(staff_client, staff_user):
    older = TicketFactory.create(title="older")
    TicketFactory.create(title="newer")
    assert _titles(staff_client.get("/dashboard/", {"sort": "-updated"})) == ["newer", "older"]

    services.add_comment(ticket=older, author=staff_user, body="On it.")

    content = staff_client.get("/dashboard/", {"sort": "-updated"}).content.decode()
    assert content.index("older") < content.index("newer")


def test_each_staff_member_gets_their_own_board(staff_client, staff_user, client):
    colleague = StaffUserFactory.create()
    TicketFactory.create(assignee=staff_user)
    client.force_login(colleague)

    mine = staff_client.get("/dashboard/").content.decode()
    theirs = client.get("/dashboard/").content.decode()

    assert "<strong>me</strong>" in mine
    assert "Take" not in mine
    assert "<strong>me</strong>" not in theirs
    assert f'name="assignee" value="{colleague.pk}"' in theirs


def test_the_cached_board_holds_no_csrf_token_and_the_page_around_it_carries_one(
    staff_client, monkeypatch
):
    TicketFactory.create()
    stored = {}
    monkeypatch.setattr(cache, "set", lambda key, value, timeout: stored.update({key: value}))

    first = staff_client.get("/dashboard/").content.decode()
    second = staff_client.get("/dashboard/").content.decode()

    (board,) = stored.values()
    assert "csrfmiddlewaretoken" not in board
    token = 'form method="post" id="row-actions" hidden>\n  <input type="hidden" name="csrfmiddle'
    assert token in first
    assert token in second


def test_the_board_expires_after_a_few_seconds(staff_client, monkeypatch):
    timeouts = []
    monkeypatch.setattr(cache, "set", lambda key, value, timeout: timeouts.append(timeout))

    staff_client.get("/dashboard/")

    assert timeouts == [DashboardView.BOARD_CACHE_SECONDS]
    assert 0 < DashboardView.BOARD_CACHE_SECONDS <= 30


def test_one_csrf_protected_form_carries_every_row_button(staff_client, ticket):
    content = staff_client.get("/dashboard/", {"status": "open"}).content.decode()

    assert content.count('form method="post" id="row-actions"') == 1
    assert f'formaction="/tickets/{ticket.pk}/status/"' in content
    assert f'formaction="/tickets/{ticket.pk}/assign/"' in content
    assert content.count('form="row-actions"') == 3  # pending, resolve, take
    assert 'name="next" value="/dashboard/?status=open"' in content


# --- Only boards the site's own links lead to are cached ------------------------------------


def _stored_boards() -> int:
    """How many boards the cache holds: the real entries, for the backend the suite runs on."""
    backend = caches["default"]
    if isinstance(backend, RedisCache):
        client = backend._cache.get_client()  # type: ignore[attr-defined]
        return len(client.keys(backend.make_key("dashboard-board:*")))
    assert isinstance(backend, LocMemCache)
    entries = backend._cache  # type: ignore[attr-defined]
    return len([key for key in entries if ":dashboard-board:" in key])


JUNK_QUERIES = [
    *({"utm_source": f"campaign-{n}"} for n in range(10)),  # unknown parameters
    *({"q": f"printer {n}"} for n in range(10)),  # any search text
    {"q": " "},
    {"status": "closed"},
    {"priority": "urgent' OR 1=1 --"},
    {"assignee": "424242"},  # a number, but nobody's
    {"assignee": "0042"},
    {"sort": "creator__password"},
    *({"page": page} for page in ("3", "99", str(2**64), "02", "1_0", "٣", "1e3", "-1", "last")),
    {"status": ["open", "pending"]},  # repeated
    {"status": "open", "page": "9"},
]


def test_a_flood_of_junk_parameters_adds_no_cache_entries(staff_client):
    TicketFactory.create_batch(30)
    assert staff_client.get("/dashboard/").status_code == 200
    assert _stored_boards() == 1

    responses = [staff_client.get("/dashboard/", query) for query in JUNK_QUERIES]

    assert {response.status_code for response in responses} == {200}
    assert _stored_boards() == 1


def test_a_junk_query_is_still_answered_fresh_and_in_full(staff_client):
    TicketFactory.create(title="Printer on fire")
    TicketFactory.create(title="VPN down")

    response = staff_client.get("/dashboard/", {"q": "printer", "utm_source": "mail"})

    assert _titles(response) == ["Printer on fire"]
    assert b"utm_source=mail" in response.content  # its own links keep what it was given


def test_every_board_the_pages_link_to_is_cached(staff_client, staff_user):
    TicketFactory.create_batch(30, assignee=staff_user)
    queries = [
        {},
        {"page": "2"},
        {"status": "open", "priority": "normal", "assignee": "mine", "sort": "-priority"},
        {"assignee": str(staff_user.pk)},
        {"q": "", "status": "pending", "priority": "", "assignee": "", "sort": ""},  # "Apply"
    ]

    for query in queries:
        staff_client.get("/dashboard/", query)

    assert _stored_boards() == len(queries)


def test_equivalent_query_strings_share_one_board(staff_client, django_assert_num_queries):
    TicketFactory.create_batch(3)
    staff_client.get("/dashboard/?status=open&sort=created")

    # session, user, last change: the board comes from the cache
    with django_assert_num_queries(3):
        response = staff_client.get("/dashboard/?sort=created&priority=&status=open&q=")

    assert response.status_code == 200
    assert _stored_boards() == 1


def test_cached_board_links_carry_the_canonical_filters(staff_client):
    TicketFactory.create_batch(30)

    content = staff_client.get("/dashboard/?sort=created&q=&status=open&page=1").content.decode()

    assert 'href="?status=open&amp;sort=created&amp;page=2"' in content
