"""The e-mails to a ticket's creator: their content, their headers and their failures.

The tests that go through the pages send to a real SMTP server (aiosmtpd, the shared
``smtp_server`` fixture) and commit for real (``transaction=True``): the mail is sent when the
change commits, inside the request, exactly as in production, so a mail failure that escaped
would turn the response into a 500 here too.
"""

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


def test_a_sender_raises_when_the_mail_server_fails_so_a_queue_could_retry():
    ticket = TicketFactory.create()

    with (
        mock.patch("tickets.emails.send_mail", side_effect=smtplib.SMTPException("down")),
        pytest.raises(smtplib.SMTPException),
    ):
        emails.send_status_changed(ticket=ticket, change=_status_change(ticket))


def test_a_failure_after_commit_is_logged_with_the_ticket_number_not_raised(
    caplog, django_capture_on_commit_callbacks
):
    ticket = TicketFactory.create()

    def broken_send():
        raise RuntimeError("template missing")

    with django_capture_on_commit_callbacks(execute=True):
        emails.send_after_commit(broken_send, ticket=ticket)

    (record,) = [r for r in caplog.records if r.name == "tickets.emails"]
    assert record.getMessage() == f"Could not e-mail the creator of ticket #{ticket.pk}."
    assert record.exc_info[0] is RuntimeError


# --- Headers from user text ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Printer\r\nBcc: victim@example.com", "Printer Bcc: victim@example.com"),
        ("tab\there", "tab here"),
        ("nul\x00byte", "nul byte"),
        ("\u202etxt.exe", "txt.exe"),
        ("line\u2028separator", "line separator"),
        ("  many   spaces  ", "many spaces"),
        ("Café ☕ ok", "Café ☕ ok"),
    ],
)
def test_header_text_folds_control_characters_to_single_spaces(text, expected):
    assert emails.header_text(text, max_length=100) == expected


def test_header_text_bounds_the_length_with_an_ellipsis():
    assert emails.header_text("word " * 50, max_length=20) == "word word word word…"
    assert len(emails.header_text("x" * 5000, max_length=100)) == 100


def test_the_subject_carries_at_most_100_characters_of_the_title(mailoutbox):
    ticket = TicketFactory.create(title="y" * 200)

    emails.send_status_changed(ticket=ticket, change=_status_change(ticket))

    (message,) = mailoutbox
    assert message.subject == f"[#{ticket.pk}] {'y' * 99}…: now Resolved"
