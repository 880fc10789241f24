"""The outbox: queueing in the caller's transaction, delivery with retries, one send per event.

Delivery goes to a real SMTP server on 127.0.0.1 (the shared ``smtp_server`` fixture, aiosmtpd),
which can be stopped and started again: what the helpdesk does while its mail server is down is
tested on the wire. Refusals the test server cannot produce (a 5xx for one recipient) are raised
from Django's ``EmailMultiAlternatives.send``, where smtplib would raise them.
"""

from __future__ import annotations

import logging
import re
import smtplib
from collections import Counter
from datetime import timedelta
from functools import partial
from unittest import mock

import pytest
from django.db import transaction
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from shared.concurrency import all_at_once

from mail import services
from mail import threading as mail_threading
from mail.models import CLAIM_LEASE, MAX_ATTEMPTS, EmailStatus, OutboundEmail
from mail.services import Delivery, deliver
from tests.factories import OutboundEmailFactory

pytestmark = pytest.mark.django_db


def _queue(**overrides):
    values = {
        "event_key": "ticket-7-comment-9",
        "to": "alice@example.com",
        "subject": "[#7] Printer on fire: new reply",
        "body": "A technician is on the way.",
        **overrides,
    }
    return services.queue_email(**values)


def _logs(caplog, level):
    return [
        r.getMessage() for r in caplog.records if r.name == "mail.services" and r.levelno == level
    ]


# --- queue_email --------------------------------------------------------------------------


def test_queueing_writes_the_row_at_once_and_delivers_after_the_commit(
    mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        email = _queue()

    assert OutboundEmail.objects.get() == email
    assert email.status == EmailStatus.PENDING
    assert mailoutbox == []
    for callback in callbacks:
        callback()
    (message,) = mailoutbox
    assert message.to == ["alice@example.com"]
    assert message.subject == "[#7] Printer on fire: new reply"
    assert message.extra_headers["Message-ID"] == email.message_id
    email.refresh_from_db()
    assert email.status == EmailStatus.SENT


def test_an_email_queued_in_a_transaction_that_rolls_back_is_never_queued_nor_sent(
    mailoutbox, django_capture_on_commit_callbacks
):
    def queue_then_fail():
        with transaction.atomic():
            _queue()
            raise RuntimeError("the change failed")

    with django_capture_on_commit_callbacks(execute=True) as callbacks, pytest.raises(RuntimeError):
        queue_then_fail()

    assert callbacks == []
    assert not OutboundEmail.objects.exists()
    assert mailoutbox == []


def test_an_event_is_queued_once_however_often_it_is_queued(
    mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        first = _queue()
        again = _queue(subject="[#7] A different subject")

    assert again == first
    assert OutboundEmail.objects.count() == 1
    assert len(mailoutbox) == 1


def test_an_event_and_recipient_are_unique_in_the_database_with_their_own_message():
    email = OutboundEmailFactory.create()
    duplicate = OutboundEmailFactory.build(event_key=email.event_key, recipient=email.recipient)
    other_recipient = OutboundEmailFactory.build(event_key=email.event_key)

    with pytest.raises(Exception, match="already in the outbox"):
        duplicate.validate_constraints()
    other_recipient.validate_constraints()


# --- queue_emails: one event, many recipients ---------------------------------------------


def _queue_many(recipients, **overrides):
    values = {
        "event_key": "ticket-7-opened",
        "subject": "[#7] Printer on fire: new ticket",
        "body": "Smoke.",
        "html_body": "<p>Smoke.</p>",
        "ticket_id": 7,
        "starts_thread": True,
        **overrides,
    }
    return services.queue_emails(recipients=recipients, **values)


def test_one_row_per_recipient_all_with_the_events_message_id_delivered_by_one_task(
    mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        rows = _queue_many(["ana@example.com", "bo@example.com", "ana@example.com"])

    assert sorted(row.recipient for row in rows) == ["ana@example.com", "bo@example.com"]
    assert {row.message_id for row in rows} == {mail_threading.thread_root(7)}
    assert len(callbacks) == 1  # one task for the event, whatever the number of recipients
    callbacks[0]()
    assert sorted(message.to[0] for message in mailoutbox) == [
        "ana@example.com",
        "bo@example.com",
    ]
    assert set(OutboundEmail.objects.values_list("status", flat=True)) == {EmailStatus.SENT}


def test_queueing_an_event_again_adds_only_the_new_recipients(
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=False):
        _queue_many(["ana@example.com"])
        again = _queue_many(["ana@example.com", "cy@example.com"])
        nothing_new = _queue_many(["cy@example.com"])

    assert [row.recipient for row in again] == ["cy@example.com"]
    assert nothing_new == []
    assert OutboundEmail.objects.count() == 2


def test_no_recipients_write_nothing(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        assert _queue_many([]) == []

    assert callbacks == []
    assert not OutboundEmail.objects.exists()


def test_many_recipients_with_a_subject_line_break_are_refused():
    with pytest.raises(ValueError, match="one line"):
        _queue_many(["ana@example.com"], subject="Hi\nBcc: x@example.com")


def test_a_threaded_email_records_its_ticket_headers():
    email = _queue(ticket_id=7)

    root = mail_threading.thread_root(7)
    assert email.message_id == mail_threading.message_id(7, "ticket-7-comment-9")
    assert (email.in_reply_to, email.references) == (root, root)
    assert mail_threading.ticket_id_from_address(email.reply_to) == 7


def test_a_subject_with_a_line_break_is_refused():
    with pytest.raises(ValueError, match="one line"):
        _queue(subject="Hello\r\nBcc: everyone@example.com")

    assert not OutboundEmail.objects.exists()


def test_the_message_id_names_the_event_and_the_sender_domain(settings):
    settings.DEFAULT_FROM_EMAIL = "Help Desk <help@bücher.example>"

    email = _queue(event_key="ticket-3-change-4")

    assert re.fullmatch(
        r"<ticket-3-change-4\.[0-9a-f]{16}@xn--bcher-kva\.example>", email.message_id
    )


def test_two_events_get_different_message_ids():
    assert _queue(event_key="ticket-1-change-1").message_id != (
        _queue(event_key="ticket-1-change-2").message_id
    )


def test_an_enqueue_that_fails_is_logged_and_the_email_waits_in_the_outbox(
    unreachable_rq, caplog, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        email = _queue()

    email.refresh_from_db()
    assert email.status == EmailStatus.PENDING
    assert email.attempts == 0
    (warning,) = [r for r in caplog.records if r.name == "config.queue"]
    assert warning.levelno == logging.WARNING
    assert warning.getMessage().startswith(
        f"Could not enqueue deliver_email(email_id={email.pk}) (ConnectionError: "
    )
    assert warning.getMessage().endswith("the scheduled maintenance will enqueue it again.")


# --- deliver ------------------------------------------------------------------------------


def test_delivery_sends_once_with_the_rows_message_id_and_records_it(smtp_server):
    email = OutboundEmailFactory.create()

    assert deliver(email.pk) == Delivery.SENT

    (message,) = smtp_server.wait_for(1)
    assert message["Message-ID"] == email.message_id
    assert message["Subject"] == email.subject
    assert smtp_server.envelopes == [("helpdesk@localhost", [email.recipient])]
    email.refresh_from_db()
    assert email.status == EmailStatus.SENT
    assert email.sent_at is not None
    assert email.attempts == 1
    assert email.last_error == ""


def test_delivering_a_sent_email_again_sends_nothing(smtp_server):
    email = OutboundEmailFactory.create()
    deliver(email.pk)

    assert deliver(email.pk) == Delivery.SKIPPED

    smtp_server.wait_for(1)
    assert len(smtp_server.messages) == 1


def test_an_email_waiting_for_its_next_try_is_not_sent_early(smtp_server):
    email = OutboundEmailFactory.create(next_attempt_at=timezone.now() + timedelta(seconds=30))

    assert deliver(email.pk) == Delivery.SKIPPED

    assert smtp_server.messages == []
    email.refresh_from_db()
    assert (email.status, email.attempts) == (EmailStatus.PENDING, 0)


def test_a_missing_email_is_skipped():
    assert deliver(123_456) == Delivery.SKIPPED


def test_with_the_mail_server_down_the_email_waits_and_goes_out_once_when_it_is_back(
    smtp_server, caplog
):
    email = OutboundEmailFactory.create()
    smtp_server.stop()

    assert deliver(email.pk) == Delivery.RETRY

    email.refresh_from_db()
    assert email.status == EmailStatus.PENDING
    assert email.attempts == 1
    assert email.last_error.startswith("ConnectionRefusedError")
    assert timedelta(seconds=29) < email.next_attempt_at - timezone.now() <= timedelta(seconds=30)
    (warning,) = _logs(caplog, logging.WARNING)
    assert warning.startswith(f"E-mail #{email.pk} ({email.event_key}) not sent on try 1 of 8")

    smtp_server.start()
    OutboundEmail.objects.filter(pk=email.pk).update(next_attempt_at=timezone.now())  # 30 s on
    assert deliver(email.pk) == Delivery.SENT
    assert deliver(email.pk) == Delivery.SKIPPED

    (message,) = smtp_server.wait_for(1)
    assert message["Message-ID"] == email.message_id
    email.refresh_from_db()
    assert (email.status, email.attempts) == (EmailStatus.SENT, 2)


@pytest.mark.parametrize(
    ("attempts", "delay"),
    [
        (1, timedelta(seconds=30)),
        (2, timedelta(minutes=1)),
        (3, timedelta(minutes=2)),
        (7, timedelta(minutes=32)),
        (8, timedelta(hours=1)),
        (20, timedelta(hours=1)),
    ],
)
def test_the_back_off_doubles_from_30_seconds_up_to_an_hour(attempts, delay):
    assert services.retry_delay(attempts) == delay


def test_a_retry_is_deferred_in_the_queue_until_the_back_off_has_passed(
    database_tasks, smtp_server
):
    email = OutboundEmailFactory.create(attempts=2)
    smtp_server.stop()

    deliver(email.pk)

    email.refresh_from_db()
    retry = DBTaskResult.objects.get()
    assert retry.task_path == "mail.tasks.deliver_email"
    assert retry.args_kwargs == {"args": [], "kwargs": {"email_id": email.pk}}
    assert retry.run_after == email.next_attempt_at
    assert timedelta(minutes=1, seconds=59) < retry.run_after - timezone.now()
    assert not DBTaskResult.objects.ready().exists()


def test_after_the_eighth_failed_try_the_email_fails_and_an_error_is_logged(
    database_tasks, smtp_server, caplog
):
    email = OutboundEmailFactory.create(attempts=MAX_ATTEMPTS - 1, event_key="ticket-5-change-6")
    smtp_server.stop()

    assert deliver(email.pk) == Delivery.FAILED

    email.refresh_from_db()
    assert (email.status, email.attempts) == (EmailStatus.FAILED, 8)
    assert not DBTaskResult.objects.exists()  # no further try is scheduled
    (error,) = _logs(caplog, logging.ERROR)
    assert error.startswith(
        f"E-mail #{email.pk} (ticket-5-change-6) failed after 8 of 8 tries and will not be retried:"
    )
    assert "ConnectionRefusedError" in error


def test_a_failed_email_is_never_tried_again(smtp_server):
    email = OutboundEmailFactory.create(status=EmailStatus.FAILED, attempts=3)

    assert deliver(email.pk) == Delivery.SKIPPED

    assert smtp_server.messages == []


@pytest.mark.parametrize(
    ("error", "outcome"),
    [
        (smtplib.SMTPRecipientsRefused({"a@example.com": (550, b"No such user")}), "failed"),
        (smtplib.SMTPRecipientsRefused({"a@example.com": (450, b"Mailbox busy")}), "retry"),
        (smtplib.SMTPDataError(554, b"Message refused as spam"), "failed"),
        (smtplib.SMTPDataError(451, b"Try again later"), "retry"),
        (smtplib.SMTPServerDisconnected("Connection unexpectedly closed"), "retry"),
        (smtplib.SMTPAuthenticationError(535, b"Bad credentials"), "retry"),
        (TimeoutError("timed out"), "retry"),
        (ValueError("Header values may not contain linefeed"), "failed"),
    ],
    ids=[
        "550-recipient",
        "450-recipient",
        "554-data",
        "451-data",
        "disconnected",
        "auth",
        "timeout",
        "unsendable",
    ],
)
def test_a_refusal_of_this_message_fails_at_once_anything_else_is_retried(error, outcome, caplog):
    email = OutboundEmailFactory.create()

    with mock.patch("mail.services.EmailMultiAlternatives.send", side_effect=error):
        assert deliver(email.pk) == outcome

    email.refresh_from_db()
    assert email.status == {"failed": EmailStatus.FAILED, "retry": EmailStatus.PENDING}[outcome]
    assert email.attempts == 1
    assert email.last_error.startswith(type(error).__name__)
    assert bool(_logs(caplog, logging.ERROR)) == (outcome == "failed")


def test_a_long_error_is_cut_to_fit_the_row():
    email = OutboundEmailFactory.create()

    with mock.patch("mail.services.EmailMultiAlternatives.send", side_effect=OSError("x" * 5000)):
        deliver(email.pk)

    email.refresh_from_db()
    assert len(email.last_error) == 500


# --- A worker that dies mid-send ----------------------------------------------------------


def test_an_email_left_sending_by_a_dead_worker_is_claimed_again_after_the_lease(smtp_server):
    """The worker claimed the row, then died (SIGKILL, machine lost) before recording anything."""
    email = OutboundEmailFactory.create(
        status=EmailStatus.SENDING,
        attempts=1,
        claimed_at=timezone.now() - CLAIM_LEASE - timedelta(seconds=1),
    )

    assert deliver(email.pk) == Delivery.SENT

    (message,) = smtp_server.wait_for(1)
    assert message["Message-ID"] == email.message_id  # the same as the lost attempt's
    email.refresh_from_db()
    assert (email.status, email.attempts) == (EmailStatus.SENT, 2)


def test_an_email_another_worker_is_sending_right_now_is_left_alone(smtp_server):
    email = OutboundEmailFactory.create(
        status=EmailStatus.SENDING, attempts=1, claimed_at=timezone.now() - timedelta(minutes=1)
    )

    assert deliver(email.pk) == Delivery.SKIPPED

    assert smtp_server.messages == []
    email.refresh_from_db()
    assert (email.status, email.attempts) == (EmailStatus.SENDING, 1)


def test_an_outcome_is_not_recorded_over_another_workers_claim(smtp_server, caplog):
    """If the row was claimed again while this worker sent (a lease shorter than a send, or a
    clock jump), this worker does not overwrite the other one's attempt."""
    email = OutboundEmailFactory.create()
    real_send = services._send

    def send_while_reclaimed(outbound):
        real_send(outbound)
        OutboundEmail.objects.filter(pk=outbound.pk).update(claimed_at=timezone.now())

    with mock.patch("mail.services._send", side_effect=send_while_reclaimed):
        assert deliver(email.pk) == Delivery.SENT

    email.refresh_from_db()
    assert email.status == EmailStatus.SENDING
    assert _logs(caplog, logging.WARNING) == [
        f"E-mail #{email.pk} was claimed by another worker meanwhile."
    ]


@pytest.mark.django_db(transaction=True)
def test_workers_racing_for_one_email_send_it_once(smtp_server):
    """Eight workers run the task of one e-mail at the same moment, ten times over.

    Each thread has its own database connection, so the conditional UPDATE decides, not the
    test. On PostgreSQL (CI's second pass) the UPDATEs run in parallel and the row lock makes all
    but one match nothing. On SQLite each statement takes the database's write lock, so two
    UPDATEs cannot interleave, but two threads can still both read before either writes: a
    read-then-write claim (SELECT the row, then UPDATE it) failed this test on both databases
    every time it was tried. What SQLite cannot show is a claim that only a row lock would
    protect (SELECT ... FOR UPDATE is a no-op there); PostgreSQL can.
    """
    workers, rounds = 8, 10
    emails = OutboundEmailFactory.create_batch(rounds)

    for email in emails:
        outcomes = all_at_once(workers, partial(_deliver_as_worker, email.pk))
        assert Counter(outcomes) == {Delivery.SENT: 1, Delivery.SKIPPED: workers - 1}

    smtp_server.wait_for(rounds)
    assert sorted(message["Message-ID"] for message in smtp_server.messages) == sorted(
        email.message_id for email in emails
    )
    assert set(OutboundEmail.objects.values_list("status", "attempts")) == {(EmailStatus.SENT, 1)}


def _deliver_as_worker(email_id: int, _worker: int) -> Delivery:
    return deliver(email_id)


# --- Maintenance --------------------------------------------------------------------------


def test_maintenance_sends_emails_whose_task_was_lost(smtp_server):
    now = timezone.now()
    lost = OutboundEmailFactory.create(next_attempt_at=now - timedelta(minutes=6))
    waiting = OutboundEmailFactory.create(next_attempt_at=now - timedelta(minutes=4))
    dead_worker = OutboundEmailFactory.create(
        status=EmailStatus.SENDING, attempts=2, claimed_at=now - timedelta(minutes=11)
    )

    assert services.requeue_stalled() == {"requeued": 2, "given_up": 0}

    smtp_server.wait_for(2)
    assert sorted(message["Message-ID"] for message in smtp_server.messages) == sorted(
        [lost.message_id, dead_worker.message_id]
    )
    waiting.refresh_from_db()
    assert (waiting.status, waiting.attempts) == (EmailStatus.PENDING, 0)


def test_maintenance_fails_an_email_whose_worker_died_on_its_last_try(smtp_server, caplog):
    email = OutboundEmailFactory.create(
        status=EmailStatus.SENDING,
        attempts=MAX_ATTEMPTS,
        claimed_at=timezone.now() - timedelta(minutes=11),
    )

    assert services.requeue_stalled() == {"requeued": 0, "given_up": 1}

    email.refresh_from_db()
    assert email.status == EmailStatus.FAILED
    assert email.last_error == "RuntimeError: the worker stopped during the last try"
    assert len(_logs(caplog, logging.ERROR)) == 1
    assert smtp_server.messages == []


def test_maintenance_purges_sent_and_failed_emails_after_30_days():
    old = timezone.now() - timedelta(days=30, minutes=1)
    recent = timezone.now() - timedelta(days=29)
    OutboundEmailFactory.create(status=EmailStatus.SENT, sent_at=old, created_at=old)
    OutboundEmailFactory.create(status=EmailStatus.FAILED, attempts=8, created_at=old)
    kept = [
        OutboundEmailFactory.create(status=EmailStatus.SENT, sent_at=recent, created_at=recent),
        OutboundEmailFactory.create(created_at=old),  # still pending: never deleted unsent
    ]

    assert services.purge_old() == {"deleted": 2}

    assert list(OutboundEmail.objects.order_by("pk")) == kept
