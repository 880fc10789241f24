"""The reopen rules hold for a reply by e-mail exactly as for one on the site (both ways in)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from attachments.models import Attachment
from inbound.models import InboundEmail, Outcome
from mail import threading
from tests.factories import TicketFactory
from tests.inbound.conftest import eml
from tickets.models import Comment, Status, Ticket, TicketChange, TicketChannel

pytestmark = pytest.mark.django_db

#: The README's window, as a literal.
WINDOW = timedelta(days=14)


def resolved_ticket(creator, *, ago):
    return TicketFactory.create(
        creator=creator,
        title="Printer on fire",
        status=Status.RESOLVED,
        resolved_at=timezone.now() - ago,
    )


def test_a_customer_reply_within_the_window_reopens_the_ticket(deliver, alice):
    ticket = resolved_ticket(alice, ago=WINDOW - timedelta(minutes=5))

    deliver(eml("reply.eml", ticket))

    ticket.refresh_from_db()
    assert (ticket.status, ticket.resolved_at) == (Status.OPEN, None)
    assert Comment.objects.get().ticket == ticket
    assert TicketChange.objects.get(ticket=ticket).actor == alice
    assert InboundEmail.objects.get().outcome == Outcome.REPLIED


def test_a_customer_reply_after_the_window_opens_a_new_linked_ticket_with_its_files(deliver, alice):
    old = resolved_ticket(alice, ago=WINDOW + timedelta(minutes=5))
    # The message with files, sent as a reply to the old ticket.
    reply_to = f"To: <{threading.reply_address(old.pk)}>".encode()
    raw = eml("multipart_attachments.eml").replace(b"To: support@help.example.org", reply_to)

    deliver(raw)

    new = Ticket.objects.get(follows_up=old)
    assert (new.creator, new.title) == (alice, "Re: Printer on fire")
    assert new.channel == TicketChannel.EMAIL  # the way the reply came, whatever the old one's
    assert new.description.startswith("The accounting tool shows an error")
    assert set(Attachment.objects.values_list("ticket", flat=True)) == {new.pk}
    old.refresh_from_db()
    assert old.status == Status.RESOLVED
    assert not Comment.objects.exists()
    log = InboundEmail.objects.get()
    assert (log.outcome, log.ticket) == (Outcome.OPENED, new)


def test_a_staff_reply_by_e_mail_never_reopens(deliver, alice, agent):
    ticket = resolved_ticket(alice, ago=timedelta(days=1))
    raw = eml("reply.eml", ticket).replace(
        b"From: Alice Example <alice@example.com>", b"From: Agent <agent@help.example.org>"
    )

    deliver(raw)

    ticket.refresh_from_db()
    assert ticket.status == Status.RESOLVED
    assert Comment.objects.get().author == agent
