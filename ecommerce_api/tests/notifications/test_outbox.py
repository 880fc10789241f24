"""The outbox: queued in the caller's transaction, delivered by the worker with retries, one
e-mail per event. Delivery goes to a real SMTP server on 127.0.0.1 (the shared ``smtp_server``
fixture), stopped and started again to stand for a mail outage."""

from __future__ import annotations

import logging
import smtplib
from collections import Counter
from datetime import timedelta
from unittest import mock

import pytest
from django.db import transaction
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from shared.concurrency import all_at_once

from notifications import services
from notifications.models import CLAIM_LEASE, MAX_ATTEMPTS, EmailStatus, OutboundEmail
from notifications.services import Delivery, deliver, one_line

pytestmark = pytest.mark.django_db


def _queue(**overrides: str) -> OutboundEmail:
    values = {
        "event_key": "order-7-paid",
        "to": "alice@example.com",
        "subject": "Order #7: paid",
        "body": "Your payment has been received.",
        **overrides,
    }
    return services.queue_email(**values)


def test_the_row_is_written_at_once_and_delivered_after_the_commit(
    mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        email = _queue()

    assert email.status == EmailStatus.PENDING
    assert mailoutbox == []
    for callback in callbacks:
        callback()
    (message,) = mailoutbox
    assert (message.to, message.subject) == (["alice@example.com"], "Order #7: paid")
    assert message.extra_headers["Message-ID"] == email.message_id
    email.refresh_from_db()
    assert email.status == EmailStatus.SENT


def test_an_email_queued_in_a_transaction_that_rolls_back_is_never_sent(
    mailoutbox, django_capture_on_commit_callbacks
):
    def queue_then_fail() -> None:
        with transaction.atomic():
            _queue()
            raise RuntimeError("the change failed")

    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError):
        queue_then_fail()

    assert not OutboundEmail.objects.exists()
    assert mailoutbox == []


def test_an_event_is_queued_once_however_often_it_is_queued(
    mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        first = _queue()
        second = _queue(body="Something else")

    assert first.pk == second.pk
    assert OutboundEmail.objects.count() == 1
    assert len(mailoutbox) == 1


def test_a_subject_with_a_line_break_is_refused():
    with pytest.raises(ValueError, match="one line"):
        _queue(subject="Order\r\nBcc: everyone@example.com")


def test_one_line_makes_any_text_a_safe_subject():
    assert one_line("Back in stock:\r\n  Kettle\u202e 2000\t") == "Back in stock: Kettle 2000"
    assert len(one_line("x" * 500)) == 200


def test_delivery_sends_over_smtp_once_with_the_rows_message_id(smtp_server):
    email = _queue()

    assert deliver(email.pk) == Delivery.SENT
    assert deliver(email.pk) == Delivery.SKIPPED

    (message,) = smtp_server.wait_for(1)
    assert message["Message-ID"] == email.message_id
    assert message["Subject"] == "Order #7: paid"
    assert smtp_server.envelopes == [("shop@localhost", ["alice@example.com"])]
    email.refresh_from_db()
    assert (email.status, email.attempts, email.last_error) == (EmailStatus.SENT, 1, "")


def test_with_the_mail_server_down_the_email_waits_and_goes_out_once_when_it_is_back(
    smtp_server, caplog
):
    email = _queue()
    smtp_server.stop()

    assert deliver(email.pk) == Delivery.RETRY

    email.refresh_from_db()
    assert (email.status, email.attempts) == (EmailStatus.PENDING, 1)
    assert email.last_error.startswith("ConnectionRefusedError")
    assert timedelta(seconds=29) < email.next_attempt_at - timezone.now() <= timedelta(seconds=30)
    assert any("not sent on try 1 of 8" in r.getMessage() for r in caplog.records)

    smtp_server.start()
    OutboundEmail.objects.filter(pk=email.pk).update(next_attempt_at=timezone.now())
    assert deliver(email.pk) == Delivery.SENT
    assert deliver(email.pk) == Delivery.SKIPPED

    (message,) = smtp_server.wait_for(1)
    assert message["Message-ID"] == email.message_id
    email.refresh_from_db()
    assert (email.status, email.attempts) == (EmailStatus.SENT, 2)


@pytest.mark.usefixtures("database_queue")
def test_a_retry_is_deferred_in_the_queue_until_the_back_off_has_passed(smtp_server):
    email = _queue()
    OutboundEmail.objects.filter(pk=email.pk).update(attempts=2)
    smtp_server.stop()

    deliver(email.pk)

    email.refresh_from_db()
    retry = DBTaskResult.objects.get()
    assert retry.task_path == "notifications.tasks.deliver_email"
    assert retry.args_kwargs == {"args": [], "kwargs": {"email_id": email.pk}}
    assert retry.run_after == email.next_attempt_at
    assert timedelta(minutes=1, seconds=59) < retry.run_after - timezone.now()


@pytest.mark.parametrize(
    ("attempts", "delay"),
    [(1, timedelta(seconds=30)), (2, timedelta(minutes=1)), (8, timedelta(hours=1))],
)
def test_the_back_off_doubles_from_30_seconds_up_to_an_hour(attempts, delay):
    assert services.retry_delay(attempts) == delay


def test_after_the_eighth_failed_try_the_email_fails_for_good(smtp_server, caplog):
    email = _queue()
    OutboundEmail.objects.filter(pk=email.pk).update(attempts=MAX_ATTEMPTS - 1)
    smtp_server.stop()

    assert deliver(email.pk) == Delivery.FAILED

    email.refresh_from_db()
    assert (email.status, email.attempts) == (EmailStatus.FAILED, 8)
    assert any(r.levelno == logging.ERROR for r in caplog.records)
    assert deliver(email.pk) == Delivery.SKIPPED


def test_maintenance_sends_an_email_whose_task_was_lost_or_whose_worker_died(smtp_server):
    now = timezone.now()
    lost = _queue(event_key="order-1-placed")
    OutboundEmail.objects.filter(pk=lost.pk).update(next_attempt_at=now - timedelta(minutes=6))
    dead = _queue(event_key="order-2-placed")
    OutboundEmail.objects.filter(pk=dead.pk).update(
        status=EmailStatus.SENDING, attempts=1, claimed_at=now - CLAIM_LEASE - timedelta(1)
    )
    waiting = _queue(event_key="order-3-placed")
    OutboundEmail.objects.filter(pk=waiting.pk).update(next_attempt_at=now - timedelta(minutes=4))

    assert services.requeue_stalled() == {"requeued": 2, "given_up": 0}

    smtp_server.wait_for(2)
    assert sorted(m["Message-ID"] for m in smtp_server.messages) == sorted(
        [lost.message_id, dead.message_id]
    )
    waiting.refresh_from_db()
    assert waiting.status == EmailStatus.PENDING


def test_maintenance_deletes_only_old_sent_and_failed_emails():
    old = timezone.now() - timedelta(days=31)
    sent = _queue(event_key="a")
    OutboundEmail.objects.filter(pk=sent.pk).update(
        status=EmailStatus.SENT, sent_at=old, created_at=old
    )
    pending = _queue(event_key="b")
    OutboundEmail.objects.filter(pk=pending.pk).update(created_at=old)
    recent = _queue(event_key="c")

    assert services.purge_old() == {"deleted": 1}
    assert set(OutboundEmail.objects.values_list("pk", flat=True)) == {pending.pk, recent.pk}


@pytest.mark.django_db(transaction=True)
def test_workers_racing_for_one_email_send_it_once(smtp_server):
    """Six workers run one e-mail's task at the same moment, each on its own connection: the
    conditional UPDATE lets exactly one of them claim it."""
    email = OutboundEmail.objects.create(
        event_key="order-7-paid",
        recipient="alice@example.com",
        subject="Paid",
        body="Paid.",
        message_id="<order-7-paid.1@localhost>",
    )
    outcomes = all_at_once(6, lambda _index: deliver(email.pk))

    assert Counter(outcomes) == {Delivery.SENT: 1, Delivery.SKIPPED: 5}
    smtp_server.wait_for(1)
    assert len(smtp_server.messages) == 1


@pytest.mark.parametrize(
    ("error", "outcome"),
    [
        (smtplib.SMTPRecipientsRefused({"a@example.com": (550, b"no such user")}), "failed"),
        (smtplib.SMTPRecipientsRefused({"a@example.com": (451, b"try later")}), "retry"),
        (smtplib.SMTPDataError(554, b"rejected as spam"), "failed"),
        (smtplib.SMTPDataError(421, b"busy"), "retry"),
        (ValueError("a header Django refuses"), "failed"),
    ],
    ids=["recipient 5xx", "recipient 4xx", "content 5xx", "content 4xx", "unsendable"],
)
def test_a_refusal_of_this_message_fails_at_once_anything_else_is_retried(error, outcome):
    email = _queue()

    with mock.patch("django.core.mail.EmailMessage.send", side_effect=error):
        assert deliver(email.pk) == Delivery(outcome)

    email.refresh_from_db()
    assert email.status == (EmailStatus.FAILED if outcome == "failed" else EmailStatus.PENDING)


def test_maintenance_fails_an_email_whose_worker_died_on_its_last_try():
    email = _queue()
    OutboundEmail.objects.filter(pk=email.pk).update(
        status=EmailStatus.SENDING,
        attempts=MAX_ATTEMPTS,
        claimed_at=timezone.now() - CLAIM_LEASE - timedelta(minutes=1),
    )

    assert services.requeue_stalled() == {"requeued": 0, "given_up": 1}

    email.refresh_from_db()
    assert email.status == EmailStatus.FAILED
    assert email.last_error == "RuntimeError: the worker stopped during the last try"


def test_an_outcome_is_not_recorded_over_another_workers_claim(smtp_server):
    email = _queue()

    def steal_then_send(message: object) -> None:
        OutboundEmail.objects.filter(pk=email.pk).update(claimed_at=timezone.now())

    with mock.patch.object(services, "_send", side_effect=steal_then_send):
        assert deliver(email.pk) == Delivery.SENT  # sent, but the row belongs to the other

    email.refresh_from_db()
    assert email.status == EmailStatus.SENDING


def test_an_email_is_named_by_its_event_its_recipient_and_its_state():
    """As the admin's pages and history name it."""
    email = OutboundEmail(
        event_key="order-12-event-34", recipient="ann@example.com", status=EmailStatus.FAILED
    )

    assert str(email) == f"order-12-event-34 to ann@example.com ({EmailStatus.FAILED.label})"
