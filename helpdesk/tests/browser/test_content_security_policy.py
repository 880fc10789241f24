"""The pages still work under the strict Content-Security-Policy, the admin's scripts included.

The ``page`` fixture fails a test on any violation the browser reports; these tests also check
that what depends on the policy works: the dashboard's row buttons (one form, ``form=`` and
``formaction=`` attributes) and the admin's JavaScript (select-all and bulk actions).
"""

import re

import pytest
from playwright.sync_api import expect
from shared.factories import SuperuserFactory

from tests.factories import TicketFactory
from tickets.models import Status, Ticket

pytestmark = pytest.mark.browser


def test_the_dashboard_row_buttons_change_tickets(live_server, page, log_in, staff_user):
    ticket = TicketFactory.create(title="VPN drops every hour")
    log_in(page, staff_user.username)

    row = page.get_by_role("row").filter(has_text="VPN drops every hour")
    row.get_by_role("button", name="Take").click()
    expect(page.get_by_text(f"Ticket #{ticket.pk}: assignee Unassigned → agent.")).to_be_visible()
    row.get_by_role("button", name="Resolve").click()
    expect(page.get_by_text(f"Ticket #{ticket.pk}: status Open → Resolved.")).to_be_visible()

    expect(page).to_have_url(f"{live_server.url}/dashboard/")
    ticket.refresh_from_db()
    assert (ticket.status, ticket.assignee) == (Status.RESOLVED, staff_user)


def test_the_admins_scripts_run_select_all_and_a_bulk_action(live_server, page):
    TicketFactory.create_batch(3)
    SuperuserFactory.create(username="root")

    page.goto(f"{live_server.url}/admin/login/")
    page.get_by_label("Username").fill("root")
    page.get_by_label("Password").fill("correct-horse-battery-staple")
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name="Site administration")).to_be_visible()
    page.goto(f"{live_server.url}/admin/tickets/ticket/")
    page.locator("#action-toggle").check()  # admin/js/actions.js ticks every row
    expect(page.get_by_text("3 of 3 selected")).to_be_visible()
    page.locator("select[name=action]").select_option(label="Resolve selected tickets")
    page.get_by_role("button", name=re.compile("Run|Go")).click()

    expect(page.get_by_text("3 ticket(s) changed.")).to_be_visible()
    assert set(Ticket.objects.values_list("status", flat=True)) == {Status.RESOLVED}
