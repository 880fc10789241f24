"""Ticket e-mail over a real SMTP server, from the pages, with titles stored before validation.

Titles with a line break are refused at input now, but rows written earlier (or by raw SQL)
still hold them, and Django refuses to send a message whose header contains one. These tests
store such a title straight into the database and drive the pages: the mail must still go
out, with a clean one-line subject and no injected header. When the mail server is down, the
change must be saved and shown, and its e-mail must wait in the outbox and go out exactly once
when the server is back.

``transaction=True``: the service's transaction really commits inside the request and the
delivery task is enqueued on that commit, as in production. The test settings' task backend
runs it at once, so the mail is sent before the response; in production a worker sends it.
"""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from mail.models import EmailStatus, OutboundEmail
from tests.factories import TicketFactory
from tickets.models import Comment, Status, Ticket

pytestmark = pytest.mark.django_db(transaction=True)

LEGACY_TITLE = "Printer\r\nBcc: everyone@example.com\r\n\r\non fire\tagain"
CLEAN_TITLE = "Printer Bcc: everyone@example.com on fire again"


@pytest.fixture
def legacy_ticket(user):
    """An open ticket of ``user`` whose title holds CR/LF and TAB, as rows stored before the
    validator did: written by ``update()``, which runs no validation."""
    ticket = TicketFactory.create(creator=user)
    Ticket.objects.filter(pk=ticket.pk).update(title=LEGACY_TITLE)
    ticket.refresh_from_db()
    return ticket


def _queued(ticket):
    """The ticket's one e-mail in the outbox."""
    return OutboundEmail.objects.get(event_key__startswith=f"ticket-{ticket.pk}-")


def _text(message):
    """The plain-text part of a multipart/alternative message."""
    return message.get_body(preferencelist=("plain",)).get_content()


def _back_off_has_passed(email):
    OutboundEmail.objects.filter(pk=email.pk).update(
        next_attempt_at=timezone.now() - timedelta(minutes=6)
    )


def test_a_status_change_mails_one_message_with_a_clean_one_line_subject(
    staff_client, legacy_ticket, user, smtp_server
):
    response = staff_client.post(
        reverse("tickets:status", args=[legacy_ticket.pk]), {"status": Status.PENDING}
    )

    assert response.status_code == 302
    (message,) = smtp_server.wait_for(1)
    assert message["Subject"] == f"[#{legacy_ticket.pk}] {CLEAN_TITLE}: now Pending"
    assert message["Bcc"] is None
    assert message["Message-ID"] == _queued(legacy_ticket).message_id
    assert smtp_server.envelopes == [("helpdesk@localhost", [user.email])]
    assert "changed from Open to Pending" in _text(message)


def test_a_staff_reply_mails_one_message_with_a_clean_one_line_subject(
    staff_client, legacy_ticket, user, smtp_server
):
    response = staff_client.post(
        reverse("tickets:comment", args=[legacy_ticket.pk]), {"body": "A technician is on the way."}
    )

    assert response.status_code == 302
    (message,) = smtp_server.wait_for(1)
    assert message["Subject"] == f"[#{legacy_ticket.pk}] {CLEAN_TITLE}: new reply"
    assert smtp_server.envelopes == [("helpdesk@localhost", [user.email])]
    assert "A technician is on the way." in _text(message)


def test_with_the_mail_server_down_a_status_change_is_saved_shown_and_mailed_later(
    staff_client, legacy_ticket, user, smtp_server
):
    smtp_server.stop()

    response = staff_client.post(
        reverse("tickets:status", args=[legacy_ticket.pk]),
        {"status": Status.RESOLVED},
        follow=True,
    )

    assert response.redirect_chain == [(legacy_ticket.get_absolute_url(), 302)]
    assert "status Open → Resolved" in response.content.decode()
    legacy_ticket.refresh_from_db()
    assert legacy_ticket.status == Status.RESOLVED
    assert [change.new_value for change in legacy_ticket.history.all()] == [Status.RESOLVED]
    email = _queued(legacy_ticket)
    assert (email.status, email.attempts) == (EmailStatus.PENDING, 1)
    assert email.last_error.startswith("ConnectionRefusedError")

    smtp_server.start()
    _back_off_has_passed(email)
    call_command("run_maintenance")  # what cron runs: the overdue e-mail is enqueued again
    call_command("run_maintenance")  # a second run finds it sent

    (message,) = smtp_server.wait_for(1)
    assert message["Subject"] == f"[#{legacy_ticket.pk}] {CLEAN_TITLE}: now Resolved"
    assert smtp_server.envelopes == [("helpdesk@localhost", [user.email])]
    email.refresh_from_db()
    assert (email.status, email.attempts) == (EmailStatus.SENT, 2)


def test_with_the_mail_server_down_a_staff_reply_is_saved_shown_and_mailed_later(
    staff_client, legacy_ticket, smtp_server
):
    smtp_server.stop()

    response = staff_client.post(
        reverse("tickets:comment", args=[legacy_ticket.pk]), {"body": "On it."}, follow=True
    )

    assert response.status_code == 200
    assert "Reply posted." in response.content.decode()
    assert Comment.objects.filter(ticket=legacy_ticket, body="On it.").exists()
    email = _queued(legacy_ticket)
    assert email.status == EmailStatus.PENDING

    smtp_server.start()
    _back_off_has_passed(email)
    call_command("run_maintenance")

    (message,) = smtp_server.wait_for(1)
    assert "On it." in _text(message)


def test_a_message_that_cannot_be_built_is_logged_and_the_change_still_made(
    staff_client, legacy_ticket, smtp_server, caplog, monkeypatch
):
    def broken_template(*args, **kwargs):
        raise LookupError("the e-mail template is missing")

    monkeypatch.setattr("tickets.emails.render_to_string", broken_template)

    response = staff_client.post(
        reverse("tickets:status", args=[legacy_ticket.pk]), {"status": Status.PENDING}
    )

    assert response.status_code == 302
    legacy_ticket.refresh_from_db()
    assert legacy_ticket.status == Status.PENDING
    failures = [
        record
        for record in caplog.records
        if record.name == "tickets.emails"
        and record.getMessage() == f"Could not e-mail the creator of ticket #{legacy_ticket.pk}."
    ]
    assert len(failures) == 1
    assert not OutboundEmail.objects.exists()
    assert smtp_server.messages == []
