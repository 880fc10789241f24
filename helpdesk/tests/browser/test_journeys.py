"""The helpdesk in a real browser: the journey of one ticket, from sign-up to the staff reply.

Each step drives the pages as a person would (labels, buttons, links); the checks are what
that person sees.
"""

import re

import pytest
from playwright.sync_api import Locator, Page, expect
from shared.factories import StaffUserFactory, UserFactory

from tests.factories import TicketFactory
from tickets.models import Status

pytestmark = pytest.mark.browser

PASSWORD = "a-Str0ng-passphrase-42"
TITLE = "Printer jams on page two"


def main_menu(page: Page) -> Locator:
    return page.get_by_role("navigation", name="Main")


def sign_up(page: Page, base_url: str, username: str) -> None:
    page.goto(f"{base_url}/accounts/signup/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Email address").fill(f"{username}@example.com")
    page.get_by_label(re.compile(r"^Password(?! confirmation)")).fill(PASSWORD)
    page.get_by_label("Password confirmation").fill(PASSWORD)
    page.get_by_role("button", name="Sign up").click()
    expect(page.get_by_text(f"Welcome, {username}! Your account is ready.")).to_be_visible()


def log_out(page: Page) -> None:
    page.get_by_role("button", name="Log out").click()
    expect(page.get_by_text("You have been logged out.")).to_be_visible()


def open_ticket(page: Page, title: str) -> str:
    """Fill in the new-ticket form; return the new ticket's address."""
    main_menu(page).get_by_role("link", name="New ticket").click()
    page.get_by_label("Title").fill(title)
    page.get_by_label("Description").fill("Every second page comes out crumpled.")
    page.get_by_label("Priority").select_option(label="High")
    page.get_by_role("button", name="Create ticket").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(title)
    return page.url


def test_a_ticket_from_sign_up_to_the_staff_reply(live_server, page, new_page, log_in):
    # A customer signs up, logs in again later, opens a ticket and finds it in "my tickets".
    sign_up(page, live_server.url, "carol")
    log_out(page)
    log_in(page, "carol", PASSWORD)
    ticket_url = open_ticket(page, TITLE)
    expect(page.get_by_text(re.compile(r"Ticket #\d+ created"))).to_be_visible()
    main_menu(page).get_by_role("link", name="My tickets").click()
    row = page.get_by_role("row").filter(has_text=TITLE)
    expect(row).to_contain_text("Open")
    expect(row).to_contain_text("High")

    # Other tickets the staff filter past: one resolved with the same word, one open.
    TicketFactory.create(title="Printer driver download link", status=Status.RESOLVED)
    TicketFactory.create(title="VPN drops every hour")

    # Staff find it on the dashboard with the filters, change its status and reply.
    StaffUserFactory.create(username="sam")
    staff = new_page()
    log_in(staff, "sam")
    expect(staff).to_have_url(f"{live_server.url}/dashboard/")
    filters = staff.get_by_role("form", name="Filter tickets")
    filters.get_by_label("Search").fill("printer")
    filters.get_by_label("Status").select_option(label="Open")
    filters.get_by_role("button", name="Apply").click()
    expect(staff).to_have_url(re.compile(r"q=printer.*status=open"))
    rows = staff.locator("table.tickets tbody tr")
    expect(rows).to_have_count(1)
    rows.get_by_role("link", name=TITLE).click()

    staff.get_by_role("group", name="Change status").get_by_role(
        "button", name="Mark pending"
    ).click()
    expect(staff.get_by_text("status Open → Pending")).to_be_visible()
    staff.get_by_label("Message").fill("Which printer model is it?")
    staff.get_by_role("button", name="Send").click()
    expect(staff.get_by_text("Reply posted.")).to_be_visible()
    history = staff.get_by_role("region", name="History")
    expect(history).to_contain_text("sam changed status from Open to Pending")

    # The customer sees the new status and the reply.
    page.goto(ticket_url)
    expect(page.locator(".page-head .badge-status")).to_have_text("Pending")
    reply = page.locator(".message-card").filter(has_text="Which printer model is it?")
    expect(reply).to_contain_text("sam")
    expect(reply).to_contain_text("staff")


def test_another_customer_gets_the_not_found_page_for_someone_elses_ticket(
    live_server, page, log_in
):
    ticket = TicketFactory.create(title=TITLE)
    UserFactory.create(username="mallory")

    log_in(page, "mallory")
    response = page.goto(f"{live_server.url}{ticket.get_absolute_url()}")

    assert response.status == 404
    expect(page.get_by_role("heading", name="We couldn't find that")).to_be_visible()
    expect(page.get_by_text(TITLE)).to_have_count(0)
