import smtplib
from unittest import mock

import pytest

from tests.factories import CommentFactory, InternalNoteFactory, TicketFactory
from tickets import emails
from tickets.models import Status, TicketChange, TrackedField

pytestmark = pytest.mark.django_db


def _status_change(ticket, new=Status.RESOLVED):
    return TicketChange(
        ticket=ticket, field=TrackedField.STATUS, old_value=Status.OPEN, new_value=new
    )


def test_status_email_names_the_ticket_the_change_and_links_to_it(settings, mailoutbox):
    settings.SITE_URL = "https://help.example.com/"
    ticket = TicketFactory.create(title="VPN down", status=Status.RESOLVED)

    emails.send_status_changed(ticket=ticket, change=_status_change(ticket))

    (message,) = mailoutbox
    assert message.subject == f"[#{ticket.pk}] VPN down: now Resolved"
    assert "changed from Open to Resolved" in message.body
    assert f"https://help.example.com/tickets/{ticket.pk}/" in message.body
    assert "reply on the ticket page and we will reopen it" in message.body


def test_staff_reply_email_carries_the_reply_and_nothing_internal(mailoutbox):
    ticket = TicketFactory.create()
    InternalNoteFactory.create(ticket=ticket, body="Internal: customer is difficult.")
    reply = CommentFactory.create(ticket=ticket, body="We are on it.", author__is_staff=True)

    emails.send_staff_reply(comment=reply)

    (message,) = mailoutbox
    assert "We are on it." in message.body
    assert "Internal" not in message.body


def test_an_internal_note_is_refused_outright(mailoutbox):
    with pytest.raises(ValueError, match="never e-mailed"):
        emails.send_staff_reply(comment=InternalNoteFactory.create())

    assert mailoutbox == []


def test_creator_without_an_address_gets_no_email(mailoutbox):
    ticket = TicketFactory.create(creator__email="")

    emails.send_status_changed(ticket=ticket, change=_status_change(ticket))

    assert mailoutbox == []


def test_a_failing_mail_server_is_logged_not_raised(caplog):
    ticket = TicketFactory.create()

    with mock.patch("tickets.emails.send_mail", side_effect=smtplib.SMTPException("down")):
        emails.send_status_changed(ticket=ticket, change=_status_change(ticket))

    assert "Could not e-mail" in caplog.text
