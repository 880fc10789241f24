"""The demo data has a ticket that arrived by e-mail, with its screenshot, and sends nothing."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from attachments.models import Attachment
from inbound.models import InboundEmail, Outcome
from mail.models import OutboundEmail
from tickets.models import Ticket, TicketChannel

pytestmark = pytest.mark.django_db


def test_the_demo_has_a_ticket_that_arrived_by_e_mail_with_an_attachment():
    call_command("load_demo_data")

    ticket = Ticket.objects.get(channel=TicketChannel.EMAIL)
    assert ticket.creator.username == "bob"
    assert ticket.title == 'VPN client says "certificate expired" since this morning'
    assert ticket.description.endswith("so this blocks me completely.\n\nThanks,\nBob")
    assert list(Attachment.objects.filter(ticket=ticket).values_list("name", flat=True)) == [
        "vpn-error.png"
    ]
    assert InboundEmail.objects.get(ticket=ticket).outcome == Outcome.OPENED
    assert not OutboundEmail.objects.exists()


def test_loading_the_demo_again_files_the_e_mail_once():
    call_command("load_demo_data")
    call_command("load_demo_data")

    assert Ticket.objects.filter(channel=TicketChannel.EMAIL).count() == 1
    assert InboundEmail.objects.count() == 1
