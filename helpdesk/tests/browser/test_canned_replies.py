"""A staff member inserts a saved reply with JavaScript: the box fills in place, no reload."""

import pytest
from playwright.sync_api import expect
from shared.browser import assert_accessible
from shared.factories import DEFAULT_PASSWORD, UserFactory

from canned.models import CannedReply
from tests.factories import TicketFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_staff_insert_a_saved_reply_without_a_reload(live_server, page, log_in, staff_user):
    customer = UserFactory.create(first_name="Ada", last_name="<b>Lovelace</b>")
    ticket = TicketFactory.create(creator=customer, title="Printer on fire")
    CannedReply.objects.create(title="Apology", body="Sorry.")
    CannedReply.objects.create(
        title="In hand", body="Hello {customer_name},\n#{ticket_number} is in hand. {0.__class__}"
    )
    log_in(page, staff_user.username, DEFAULT_PASSWORD)
    url = f"{live_server.url}/tickets/{ticket.pk}/"
    page.goto(url)
    page.evaluate("window.notReloaded = true")

    box = page.get_by_label("Message")
    box.fill("Hi! ")
    page.get_by_label("Insert a saved reply").select_option(label="In hand")
    page.get_by_role("button", name="Insert").click()

    # Inserted at the cursor after what was typed, as text: markup in the name stays text.
    expect(box).to_have_value(
        f"Hi! Hello Ada <b>Lovelace</b>,\n#{ticket.pk} is in hand. {{0.__class__}}"
    )
    expect(box).to_be_focused()
    assert page.url == url
    assert page.evaluate("window.notReloaded") is True
    assert_accessible(page)
