"""Who is e-mailed about what: the routing matrix, each user's choices, and a constant cost.

- a new ticket → its assignee if any, else every active staff member;
- a customer's reply → the assignee, or every active staff member while unassigned;
- a public staff reply, a status change → the ticket's creator; an internal note → nobody;
- never the author of the event, never an inactive account, never someone who turned the
  kind off on the notifications page.

The outbox rows are the observable: one per recipient, all of an event's carrying one
Message-ID (delivery over SMTP is tested in ``tests/mail/test_outbound_headers.py``).
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from shared.factories import StaffUserFactory, UserFactory

from mail.models import OutboundEmail
from tests.factories import TicketFactory
from tickets import services
from tickets.models import Status

pytestmark = pytest.mark.django_db


@pytest.fixture
def customer():
    return UserFactory.create(username="carol")


@pytest.fixture
def staff():
    """Two active staff members, one inactive, and one with no address."""
    StaffUserFactory.create(username="gone", is_active=False)
    StaffUserFactory.create(username="silent", email="")
    return [StaffUserFactory.create(username="ana"), StaffUserFactory.create(username="bo")]


def _recipients(event_prefix=""):
    rows = OutboundEmail.objects.filter(event_key__startswith=event_prefix)
    return sorted(rows.values_list("recipient", flat=True))


def _open(customer, **kwargs):
    return services.open_ticket(
        creator=customer, title="Printer on fire", description="Smoke", priority="high", **kwargs
    )


# --- a new ticket -------------------------------------------------------------------------


def test_a_new_ticket_is_mailed_to_every_active_staff_member_with_an_address(customer, staff):
    ticket = _open(customer)

    assert _recipients() == ["ana@example.com", "bo@example.com"]
    rows = OutboundEmail.objects.filter(event_key=f"ticket-{ticket.pk}-opened")
    assert {row.subject for row in rows} == {f"[#{ticket.pk}] Printer on fire: new ticket"}
    assert len({row.message_id for row in rows}) == 1  # one event, one Message-ID


def test_a_new_ticket_opened_by_a_staff_member_is_not_mailed_to_them(staff):
    services.open_ticket(creator=staff[0], title="Check", description="x", priority="low")

    assert _recipients() == ["bo@example.com"]


def test_a_staff_member_who_turned_new_tickets_off_is_not_told(customer, staff):
    staff[1].notify_new_ticket = False
    staff[1].save()

    _open(customer)

    assert _recipients() == ["ana@example.com"]


def test_a_new_ticket_without_notify_mails_nobody(customer, staff):
    _open(customer, notify=False)

    assert _recipients() == []


def test_the_new_ticket_mail_costs_the_same_queries_for_two_or_twenty_staff(customer, staff):
    def queries_to_open():
        with CaptureQueriesContext(connection) as context:
            _open(customer)
        return len(context.captured_queries)

    with_two = queries_to_open()
    StaffUserFactory.create_batch(18)
    with_twenty = queries_to_open()

    assert with_two == with_twenty
    assert OutboundEmail.objects.count() == 2 + 20


# --- a customer's reply -------------------------------------------------------------------


def test_a_customer_reply_on_an_unassigned_ticket_goes_to_every_active_staff_member(
    customer, staff
):
    ticket = _open(customer, notify=False)

    comment = services.add_comment(ticket=ticket, author=customer, body="Still burning")

    assert _recipients(f"ticket-{ticket.pk}-comment-{comment.pk}") == [
        "ana@example.com",
        "bo@example.com",
    ]
    row = OutboundEmail.objects.filter(recipient="ana@example.com").get()
    assert row.subject == f"[#{ticket.pk}] Printer on fire: customer reply"
    assert "Still burning" in row.body


def test_a_customer_reply_on_an_assigned_ticket_goes_to_the_assignee_only(customer, staff):
    ticket = TicketFactory.create(creator=customer, assignee=staff[1])

    services.add_comment(ticket=ticket, author=customer, body="Any news?")

    assert _recipients() == ["bo@example.com"]


def test_an_assignee_who_turned_customer_replies_off_gets_nothing_and_nobody_else_does(
    customer, staff
):
    staff[1].notify_customer_reply = False
    staff[1].save()
    ticket = TicketFactory.create(creator=customer, assignee=staff[1])

    services.add_comment(ticket=ticket, author=customer, body="Any news?")

    assert _recipients() == []


def test_a_reply_on_a_ticket_whose_assignee_left_goes_to_every_active_staff_member(customer, staff):
    ticket = TicketFactory.create(creator=customer, assignee=staff[1])
    staff[1].is_active = False
    staff[1].save()

    services.add_comment(ticket=ticket, author=customer, body="Hello?")

    assert _recipients() == ["ana@example.com"]


def test_a_new_ticket_with_an_assignee_goes_to_the_assignee_only(customer, staff):
    from tickets import emails

    ticket = TicketFactory.create(creator=customer, assignee=staff[0])

    emails.queue_new_ticket(ticket=ticket)

    assert _recipients() == ["ana@example.com"]


# --- the creator's e-mails ----------------------------------------------------------------


def test_a_staff_reply_goes_to_the_creator_and_to_no_staff_member(customer, staff):
    ticket = _open(customer, notify=False)

    services.add_comment(ticket=ticket, author=staff[0], body="On my way")

    assert _recipients() == ["carol@example.com"]


def test_an_internal_note_is_mailed_to_nobody(customer, staff):
    ticket = _open(customer, notify=False)

    services.add_comment(ticket=ticket, author=staff[0], body="Secret", internal=True)

    assert _recipients() == []


def test_a_creator_who_turned_staff_replies_off_is_not_told(customer, staff):
    customer.notify_staff_reply = False
    customer.save()
    ticket = _open(customer, notify=False)

    services.add_comment(ticket=ticket, author=staff[0], body="On my way")

    assert _recipients() == []


def test_a_creator_who_turned_status_changes_off_is_not_told(customer, staff):
    ticket = _open(customer, notify=False)
    services.update_ticket(ticket=ticket, actor=staff[0], status=Status.PENDING)
    assert _recipients() == ["carol@example.com"]
    customer.notify_status_change = False
    customer.save()

    services.update_ticket(ticket=ticket, actor=staff[0], status=Status.RESOLVED)

    assert _recipients() == ["carol@example.com"]  # still only the first change's e-mail
