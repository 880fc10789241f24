"""axe-core on every main page, as each kind of visitor sees it: no serious or critical issue.

The pages are checked with real content (a ticket with a staff reply, an internal note and
history) and in their error states (form errors, 403, 404), where markup most often slips.
"""

from typing import cast

import pytest
from playwright.sync_api import expect
from shared.browser import assert_accessible
from shared.factories import StaffUserFactory, UserFactory

# cast("User", ...): shared's factories are typed AbstractUser, AUTH_USER_MODEL is User.
from accounts.models import User
from tests.factories import CommentFactory, InternalNoteFactory, TicketFactory
from tickets import services
from tickets.models import Status

pytestmark = pytest.mark.browser


@pytest.fixture
def ticket(db):
    """A customer's ticket with a conversation and history, as staff leave it."""
    customer = UserFactory.create(username="carol")
    staff = cast("User", StaffUserFactory.create(username="sam"))
    ticket = TicketFactory.create(creator=customer, title="Printer jams on page two")
    CommentFactory.create(ticket=ticket, author=staff, body="Which printer model is it?")
    InternalNoteFactory.create(ticket=ticket, author=staff, body="Same model as last month.")
    services.update_ticket(ticket=ticket, actor=staff, status=Status.PENDING, assignee=staff)
    TicketFactory.create_batch(3)
    return ticket


ANONYMOUS_PAGES = {
    "login": "/accounts/login/",
    "sign-up": "/accounts/signup/",
}


@pytest.mark.parametrize("path", ANONYMOUS_PAGES.values(), ids=ANONYMOUS_PAGES.keys())
def test_public_pages_are_accessible(live_server, page, path):
    page.goto(f"{live_server.url}{path}")

    expect(page.locator("main h1")).to_be_visible()
    assert_accessible(page)


def test_login_form_with_an_error_is_accessible(live_server, page):
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_role("button", name="Log in").click()

    expect(page.locator(".error").first).to_be_visible()
    assert_accessible(page)


@pytest.mark.parametrize(
    ("username", "path", "heading"),
    [
        ("carol", "/tickets/", "My tickets"),
        ("carol", "{ticket}", "Printer jams on page two"),
        ("sam", "/dashboard/", "Dashboard"),
        ("sam", "{ticket}", "Printer jams on page two"),
        ("carol", "/dashboard/", "You can't do that"),
        ("sam", "/tickets/999999/", "We couldn't find that"),
    ],
    ids=["my-tickets", "ticket-customer", "dashboard", "ticket-staff", "403", "404"],
)
def test_signed_in_pages_are_accessible(live_server, page, log_in, ticket, username, path, heading):
    log_in(page, username)

    page.goto(live_server.url + path.format(ticket=ticket.get_absolute_url()))

    expect(page.locator("main h1")).to_contain_text(heading)
    assert_accessible(page)


def test_new_ticket_form_with_errors_is_accessible(live_server, page, log_in, ticket):
    log_in(page, "carol")
    page.goto(f"{live_server.url}/tickets/new/")

    page.get_by_role("button", name="Create ticket").click()

    expect(page.get_by_text("This field is required.").first).to_be_visible()
    assert_accessible(page)
