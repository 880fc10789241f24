"""The e-mails to a ticket's creator: their content, their headers and their failures.

``tickets.emails`` builds each message and puts it in the outbox (``mail.services``); these
tests read what it queued, and deliver it (the test settings run a task as it is enqueued,
after the commit) where the message itself matters. The pages' e-mail over a real SMTP server is
in ``test_email_delivery.py``.
"""

import pytest
from django.db import connection

from mail.models import EmailStatus, OutboundEmail
from tests.factories import CommentFactory, InternalNoteFactory, TicketFactory
from tickets import emails
from tickets.models import Status, TicketChange, TrackedField

pytestmark = pytest.mark.django_db


def _status_change(ticket, new=Status.RESOLVED):
    return TicketChange.objects.create(
        ticket=ticket,
        actor=ticket.creator,
        field=TrackedField.STATUS,
        old_value=Status.OPEN,
        new_value=new,
    )


def test_status_email_names_the_ticket_the_change_and_links_to_it(settings):
    settings.SITE_URL = "https://help.example.com/"
    ticket = TicketFactory.create(title="VPN down", status=Status.RESOLVED)
    change = _status_change(ticket)

    emails.queue_status_changed(ticket=ticket, change=change)

    email = OutboundEmail.objects.get()
    assert email.event_key == f"ticket-{ticket.pk}-change-{change.pk}"
    assert email.recipient == ticket.creator.email
    assert email.subject == f"[#{ticket.pk}] VPN down: now Resolved"
    assert "changed from Open to Resolved" in email.body
    assert f"https://help.example.com/tickets/{ticket.pk}/" in email.body
    assert "reply to this e-mail or on the ticket page and we will reopen it" in email.body


def test_staff_reply_email_carries_the_reply_and_nothing_internal():
    ticket = TicketFactory.create()
    InternalNoteFactory.create(ticket=ticket, body="Internal: customer is difficult.")
    reply = CommentFactory.create(ticket=ticket, body="We are on it.", author__is_staff=True)

    emails.queue_staff_reply(comment=reply)

    email = OutboundEmail.objects.get()
    assert email.event_key == f"ticket-{ticket.pk}-comment-{reply.pk}"
    assert "We are on it." in email.body
    assert "Internal" not in email.body


def test_a_queued_email_is_delivered_after_the_commit_as_queued(
    mailoutbox, django_capture_on_commit_callbacks
):
    ticket = TicketFactory.create(title="VPN down", status=Status.RESOLVED)

    with django_capture_on_commit_callbacks(execute=True):
        emails.queue_status_changed(ticket=ticket, change=_status_change(ticket))

    email = OutboundEmail.objects.get()
    (message,) = mailoutbox
    assert (message.subject, message.body, message.to) == (
        email.subject,
        email.body,
        [ticket.creator.email],
    )
    assert message.extra_headers == {
        "Message-ID": email.message_id,
        "In-Reply-To": email.in_reply_to,
        "References": email.references,
    }
    assert message.reply_to == [email.reply_to]
    email.refresh_from_db()
    assert email.status == EmailStatus.SENT


def test_an_internal_note_is_refused_outright():
    with pytest.raises(ValueError, match="never e-mailed"):
        emails.queue_staff_reply(comment=InternalNoteFactory.create())

    assert not OutboundEmail.objects.exists()


def test_creator_without_an_address_gets_no_email():
    ticket = TicketFactory.create(creator__email="")

    emails.queue_status_changed(ticket=ticket, change=_status_change(ticket))

    assert not OutboundEmail.objects.exists()


def test_a_message_that_cannot_be_built_is_logged_and_leaves_the_transaction_usable(
    caplog, monkeypatch
):
    ticket = TicketFactory.create()

    def broken_template(*args, **kwargs):
        raise LookupError("the e-mail template is missing")

    monkeypatch.setattr("tickets.emails.render_to_string", broken_template)
    emails.queue_status_changed(ticket=ticket, change=_status_change(ticket))

    (record,) = [r for r in caplog.records if r.name == "tickets.emails"]
    assert record.getMessage() == f"Could not e-mail the creator of ticket #{ticket.pk}."
    assert record.exc_info[0] is LookupError
    assert not OutboundEmail.objects.exists()
    assert not connection.needs_rollback  # the change around it can still commit


def test_the_subject_carries_at_most_100_characters_of_the_title():
    ticket = TicketFactory.create(title="y" * 200)

    emails.queue_status_changed(ticket=ticket, change=_status_change(ticket))

    assert OutboundEmail.objects.get().subject == f"[#{ticket.pk}] {'y' * 99}…: now Resolved"


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
