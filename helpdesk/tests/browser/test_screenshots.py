"""The README's screenshots, taken from the demo data (``nox -s "screenshots(helpdesk)"``).

In an ordinary run these tests still check each screen loads, shows its content and passes
axe-core; only with ``SCREENSHOT_DIR`` set do they also save PNGs (desktop and phone width).
"""

import io

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect
from shared.browser import assert_accessible, save_screenshots

from demo.seed import DEMO_PASSWORD
from satisfaction.tokens import make_token
from tickets.models import Ticket
from tickets.views import DashboardView

pytestmark = [
    pytest.mark.browser,
    pytest.mark.screenshots,
    # Ticket numbers start at 1 in every test, so the pictures agree with one another.
    pytest.mark.django_db(transaction=True, reset_sequences=True),
]


@pytest.fixture
def demo_data(transactional_db):
    call_command("load_demo_data", stdout=io.StringIO())


@pytest.fixture
def shoot(page, screenshot_dir):
    """Check the current screen, then save it when screenshots are wanted."""

    def shoot(name: str) -> None:
        assert_accessible(page)
        if screenshot_dir is not None:
            save_screenshots(page, name, screenshot_dir)

    return shoot


def test_dashboard_for_staff(live_server, page, log_in, demo_data, shoot):
    log_in(page, "agent", DEMO_PASSWORD)

    page.goto(f"{live_server.url}/dashboard/")

    rows = min(Ticket.objects.count(), DashboardView.paginate_by)
    expect(page.locator("table.tickets tbody tr")).to_have_count(rows)
    shoot("dashboard")


def test_dashboard_overdue_card_filter_and_badges(live_server, page, log_in, demo_data, shoot):
    overdue = Ticket.objects.overdue(timezone.now()).count()
    log_in(page, "agent", DEMO_PASSWORD)
    page.goto(f"{live_server.url}/dashboard/")

    page.locator("a.stat-overdue").click()

    expect(page.locator("a.stat-overdue .stat-number")).to_have_text(str(overdue))
    expect(page.locator("table.tickets tbody tr")).to_have_count(overdue)
    expect(page.locator("table.tickets tbody .badge-overdue")).to_have_count(overdue)
    shoot("dashboard-overdue")


def test_ticket_with_its_due_times_as_staff_see_it(live_server, page, log_in, demo_data, shoot):
    ticket = Ticket.objects.get(title="Shared calendar stopped syncing")
    log_in(page, "agent", DEMO_PASSWORD)

    page.goto(live_server.url + ticket.get_absolute_url())

    targets = page.get_by_role("region", name="Service level")
    expect(targets.get_by_text("Met", exact=True)).to_be_visible()
    expect(targets.get_by_text("Overdue", exact=True)).to_be_visible()
    shoot("ticket-due-times")


def test_reports_for_staff(live_server, page, log_in, demo_data, shoot):
    log_in(page, "agent", DEMO_PASSWORD)

    page.goto(f"{live_server.url}/reports/")

    expect(page.get_by_role("img", name="Tickets opened and resolved per week")).to_be_visible()
    expect(page.locator(".chart-bars rect").first).to_be_visible()
    shoot("reports")


def test_ticket_page_as_staff_see_it_with_notes_and_history(
    live_server, page, log_in, demo_data, shoot
):
    ticket = Ticket.objects.get(title="Charged twice for my subscription")
    log_in(page, "agent", DEMO_PASSWORD)

    page.goto(live_server.url + ticket.get_absolute_url())

    expect(page.get_by_text("Internal note · staff only")).to_be_visible()
    expect(page.get_by_role("region", name="History").get_by_role("listitem")).to_have_count(
        ticket.history.count()
    )
    shoot("ticket-staff")


def test_my_tickets_for_a_customer(live_server, page, log_in, demo_data, shoot):
    log_in(page, "alice", DEMO_PASSWORD)

    page.goto(f"{live_server.url}/tickets/")

    own = Ticket.objects.filter(creator__username="alice").count()
    expect(page.locator("table.tickets tbody tr")).to_have_count(own)
    shoot("my-tickets")


def test_new_ticket_form_with_a_validation_error(live_server, page, log_in, demo_data, shoot):
    log_in(page, "alice", DEMO_PASSWORD)
    page.goto(f"{live_server.url}/tickets/new/")

    page.get_by_label("Title").fill("Cannot download my invoice")
    page.get_by_role("button", name="Create ticket").click()

    expect(page.get_by_text("This field is required.")).to_be_visible()
    shoot("new-ticket-error")


def test_a_conversation_with_attachments(live_server, page, log_in, demo_data, shoot):
    ticket = Ticket.objects.get(title="Cannot log in after changing my e-mail")
    log_in(page, "agent", DEMO_PASSWORD)

    page.goto(live_server.url + ticket.get_absolute_url())

    preview = page.locator("img.attachment-preview")
    expect(preview).to_have_count(1)
    # The preview is lazy-loaded, so the page's load event does not wait for it: wait for the
    # image itself (a 404 or a broken file never gets a width, and the wait fails).
    page.wait_for_function(
        "image => image.complete && image.naturalWidth > 0", arg=preview.element_handle()
    )
    expect(page.get_by_role("link", name="audit-log.txt")).to_be_visible()
    shoot("ticket-attachments")


def test_email_choices_of_a_customer(live_server, page, log_in, demo_data, shoot):
    log_in(page, "bob", DEMO_PASSWORD)

    page.goto(f"{live_server.url}/accounts/notifications/")

    expect(page.get_by_label("Your ticket's status changes")).not_to_be_checked()
    shoot("email-choices")


def test_password_reset_request(live_server, page, demo_data, shoot):
    page.goto(f"{live_server.url}/accounts/login/")

    page.get_by_role("link", name="Forgot your password?").click()

    expect(page.get_by_role("heading", name="Reset your password")).to_be_visible()
    shoot("password-reset")


def test_rating_confirmation_from_the_email_link(live_server, page, demo_data, shoot):
    ticket = Ticket.objects.filter(status="resolved", rating__isnull=True).earliest("pk")
    token = make_token(ticket)

    page.goto(
        live_server.url + reverse("satisfaction:rate", kwargs={"token": token}) + "?score=good"
    )

    expect(page.get_by_label("Good")).to_be_checked()
    shoot("rating-confirmation")
