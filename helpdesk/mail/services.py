"""Queue e-mail in the outbox, deliver it with retries, and keep the outbox tidy.

- :func:`queue_email` writes the outbox row in the caller's transaction and enqueues its
  delivery for after the commit. The request never talks to the mail server.
  :func:`queue_emails` does the same for one event and many recipients (one row each, written
  by one INSERT and delivered by one task), so notifying every staff member costs the request
  the same few queries however many there are.
- An e-mail about a ticket (``ticket_id=``) carries the ticket's threading headers
  (``mail.threading``): a Message-ID with the ticket's token, ``In-Reply-To`` and
  ``References`` naming the thread root, and the ticket's reply address in ``Reply-To``.
- :func:`deliver` (the ``deliver_email`` task) claims the row with one conditional UPDATE, sends
  it, and records the outcome: sent; pending again with an exponential back-off after an error
  of the connection or a temporary refusal; failed after a permanent refusal or the last try.
- :func:`requeue_stalled` and :func:`purge_old` are the scheduled maintenance
  (``manage.py run_maintenance``): they recover e-mails whose task was lost and delete old rows.

Only one worker can hold a row at a time, so a task that is run twice (a retry, a duplicate
enqueue by the maintenance job) sends nothing the second time. The one duplicate left possible
is a worker dying after the server accepted the message and before the row says "sent": the
row is claimed again after :data:`~mail.models.CLAIM_LEASE` and the message goes out again with
the same Message-ID (at least once, never silently lost).
"""

from __future__ import annotations

import enum
import logging
import re
import secrets
import smtplib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta
from email.utils import parseaddr
from typing import Final

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.encoding import punycode

from accounts.validators import is_control_character
from config.queue import enqueue, enqueue_on_commit
from mail import (
    tasks,  # deliver_email; that module imports this one, both orders work
    threading,
)
from mail.models import (
    CLAIM_LEASE,
    LAST_ERROR_LENGTH,
    MAX_ATTEMPTS,
    EmailStatus,
    OutboundEmail,
)

logger = logging.getLogger(__name__)

#: The wait after the first failed try; it doubles after each further one (30 s, 1 min, 2 min,
#: ... 32 min after the seventh), so eight tries span about an hour of outage.
RETRY_DELAY: Final = timedelta(seconds=30)
RETRY_DELAY_CAP: Final = timedelta(hours=1)
#: A pending e-mail this far past its time has lost its task (the queue was down when it was
#: enqueued, or a worker died): the maintenance job enqueues it again.
REQUEUE_GRACE: Final = timedelta(minutes=5)
#: Sent and failed e-mails are deleted this long after they were queued.
OUTBOX_RETENTION: Final = timedelta(days=30)


#: What ``in_reply_to`` may be: one Message-ID, no spaces or control characters (it comes from
#: an inbound e-mail, so it is checked before it becomes a header; anything else is dropped).
_MESSAGE_ID: Final = re.compile(r"<[\x21-\x3b\x3d\x3f-\x7e]{1,250}>")


class Delivery(enum.StrEnum):
    """What one call of :func:`deliver` did (the task's return value)."""

    SENT = "sent"
    RETRY = "retry"
    FAILED = "failed"
    SKIPPED = "skipped"  # nothing to do: sent, failed, not due, or another worker holds it


@dataclass(frozen=True)
class _Headers:
    """The threading headers of one event's e-mails, the same for each of its recipients."""

    message_id: str
    reply_to: str = ""
    in_reply_to: str = ""
    references: str = ""


def queue_email(
    *,
    event_key: str,
    to: str,
    subject: str,
    body: str,
    html_body: str = "",
    ticket_id: int | None = None,
    starts_thread: bool = False,
    in_reply_to: str = "",
) -> OutboundEmail:
    """Put the e-mail for ``event_key`` in the outbox and deliver it once the caller commits.

    Runs in the caller's transaction: the change and its e-mail are committed, or rolled back,
    together. An event already in the outbox for this recipient is not queued again (its row
    is returned), so a repeated call cannot send twice. ``subject`` must already be one clean
    line (``tickets.emails.header_text``); ``ValueError`` otherwise.

    ``html_body`` adds an HTML alternative to the text. ``ticket_id`` threads the e-mail into
    the ticket's conversation (see the module docstring); ``starts_thread`` marks the e-mail
    whose Message-ID is the thread's root. Mail about no ticket may answer a message of its
    own with ``in_reply_to`` (a Message-ID, e.g. of an inbound e-mail being answered).
    """
    _check_subject(subject)
    headers = _headers(event_key, ticket_id, starts_thread=starts_thread, in_reply_to=in_reply_to)
    try:
        with transaction.atomic():  # a savepoint: a duplicate leaves the caller's work intact
            email = OutboundEmail.objects.create(
                event_key=event_key,
                recipient=to,
                subject=subject,
                body=body,
                html_body=html_body,
                message_id=headers.message_id,
                reply_to=headers.reply_to,
                in_reply_to=headers.in_reply_to,
                references=headers.references,
            )
    except IntegrityError:
        existing = OutboundEmail.objects.filter(event_key=event_key, recipient=to).first()
        if existing is None:
            raise
        logger.info("The e-mail for %s is already in the outbox (#%s).", event_key, existing.pk)
        return existing
    enqueue_on_commit(tasks.deliver_email, email_id=email.pk)
    return email


def queue_emails(
    *,
    event_key: str,
    recipients: Sequence[str],
    subject: str,
    body: str,
    html_body: str = "",
    ticket_id: int | None = None,
    starts_thread: bool = False,
) -> list[OutboundEmail]:
    """Queue one event's e-mail for each of ``recipients``: one row each, one delivery task.

    Like :func:`queue_email` (same transaction, same threading headers, one Message-ID for the
    event), in a constant number of queries: the rows already queued for the event are read
    once, the others written by one ``bulk_create``. Returns the rows written now; recipients
    already queued for the event (a repeated call) get nothing new, and so does an address that
    appears twice.
    """
    _check_subject(subject)
    if not recipients:
        return []
    headers = _headers(event_key, ticket_id, starts_thread=starts_thread, in_reply_to="")
    already = set(
        OutboundEmail.objects.filter(event_key=event_key, recipient__in=recipients).values_list(
            "recipient", flat=True
        )
    )
    new_recipients = [r for r in dict.fromkeys(recipients) if r not in already]
    rows = [
        OutboundEmail(
            event_key=event_key,
            recipient=recipient,
            subject=subject,
            body=body,
            html_body=html_body,
            message_id=headers.message_id,
            reply_to=headers.reply_to,
            in_reply_to=headers.in_reply_to,
            references=headers.references,
        )
        for recipient in new_recipients
    ]
    if not rows:
        return []
    # A savepoint: a row queued meanwhile by a concurrent call fails the insert without
    # breaking the caller's transaction; the e-mail is then in the outbox already.
    try:
        with transaction.atomic():
            created = OutboundEmail.objects.bulk_create(rows)
    except IntegrityError:
        logger.info("The e-mails for %s were queued meanwhile by another process.", event_key)
        return []
    enqueue_on_commit(tasks.deliver_emails, email_ids=[email.pk for email in created])
    return created


def deliver(email_id: int) -> Delivery:
    """Send outbox e-mail ``email_id`` if it is due and no other worker holds it.

    Never raises for a mail problem: the outcome is recorded on the row (and logged), and a
    retry is enqueued for later, so the task itself always succeeds.
    """
    claimed_at = timezone.now()
    claimable = Q(status=EmailStatus.PENDING, next_attempt_at__lte=claimed_at) | Q(
        status=EmailStatus.SENDING, claimed_at__lt=claimed_at - CLAIM_LEASE
    )
    # One statement: two workers running this at once cannot both see the row as claimable.
    claimed = OutboundEmail.objects.filter(
        claimable, pk=email_id, attempts__lt=MAX_ATTEMPTS
    ).update(status=EmailStatus.SENDING, claimed_at=claimed_at, attempts=F("attempts") + 1)
    if not claimed:
        return Delivery.SKIPPED
    email = OutboundEmail.objects.get(pk=email_id)
    try:
        _send(email)
    except OSError as error:  # smtplib's errors are OSErrors, like refused or timed-out sockets
        if _refused_for_good(error):
            return _give_up(email, error)
        return _retry_later(email, error)
    except Exception as error:  # the message itself cannot be sent (a header Django refuses...)
        logger.exception("E-mail #%s (%s) cannot be sent.", email.pk, email.event_key)
        return _give_up(email, error)
    _record(email, status=EmailStatus.SENT, sent_at=timezone.now(), last_error="")
    return Delivery.SENT


def requeue_stalled() -> dict[str, int]:
    """Enqueue delivery again where the task was lost; fail e-mails that used every try.

    Lost: pending and more than :data:`REQUEUE_GRACE` past its time (the enqueue failed, or the
    queue lost the task), or "sending" for longer than the claim lease (the worker died). An
    e-mail enqueued twice is still sent once: :func:`deliver` claims it first.
    """
    now = timezone.now()
    abandoned = OutboundEmail.objects.filter(
        status=EmailStatus.SENDING, claimed_at__lt=now - CLAIM_LEASE
    )
    given_up = 0
    for email in abandoned.filter(attempts__gte=MAX_ATTEMPTS):
        if _give_up(email, RuntimeError("the worker stopped during the last try")) is (
            Delivery.FAILED
        ):
            given_up += 1
    overdue = OutboundEmail.objects.filter(
        status=EmailStatus.PENDING, next_attempt_at__lt=now - REQUEUE_GRACE
    )
    requeued = 0
    for queryset in (overdue, abandoned.filter(attempts__lt=MAX_ATTEMPTS)):
        for email_id in list(queryset.values_list("pk", flat=True)):
            requeued += enqueue(tasks.deliver_email, email_id=email_id)
    return {"requeued": requeued, "given_up": given_up}


def purge_old() -> dict[str, int]:
    """Delete sent and failed e-mails queued more than :data:`OUTBOX_RETENTION` ago."""
    deleted, _ = OutboundEmail.objects.filter(
        status__in=[EmailStatus.SENT, EmailStatus.FAILED],
        created_at__lt=timezone.now() - OUTBOX_RETENTION,
    ).delete()
    return {"deleted": deleted}


def retry_delay(attempts: int) -> timedelta:
    """The wait before the next try, after ``attempts`` failed ones (1 → 30 s, 2 → 1 min...)."""
    return min(RETRY_DELAY * (1 << max(attempts - 1, 0)), RETRY_DELAY_CAP)


def _send(email: OutboundEmail) -> None:
    headers = {"Message-ID": email.message_id}
    if email.in_reply_to:
        headers["In-Reply-To"] = email.in_reply_to
    if email.references:
        headers["References"] = email.references
    message = EmailMultiAlternatives(
        subject=email.subject,
        body=email.body,
        to=[email.recipient],
        reply_to=[email.reply_to] if email.reply_to else None,
        headers=headers,
    )
    if email.html_body:
        message.attach_alternative(email.html_body, "text/html")
    message.send()


def _refused_for_good(error: OSError) -> bool:
    """Whether the server refused this very message for good: a 5xx reply to its recipient or
    its content. Anything else (no connection, a timeout, a 4xx "try later", the server's
    login or TLS failing) may pass, so it is retried."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return all(code >= 500 for code, _ in error.recipients.values())
    if isinstance(error, smtplib.SMTPDataError):
        return error.smtp_code >= 500
    return False


def _retry_later(email: OutboundEmail, error: BaseException) -> Delivery:
    if email.attempts >= MAX_ATTEMPTS:
        return _give_up(email, error)
    next_attempt_at = timezone.now() + retry_delay(email.attempts)
    if not _record(
        email,
        status=EmailStatus.PENDING,
        next_attempt_at=next_attempt_at,
        last_error=_describe(error),
    ):
        return Delivery.SKIPPED
    logger.warning(
        "E-mail #%s (%s) not sent on try %s of %s (%s); next try at %s.",
        email.pk,
        email.event_key,
        email.attempts,
        MAX_ATTEMPTS,
        _describe(error),
        next_attempt_at.isoformat(timespec="seconds"),
    )
    enqueue(tasks.deliver_email, run_after=next_attempt_at, email_id=email.pk)
    return Delivery.RETRY


def _give_up(email: OutboundEmail, error: BaseException) -> Delivery:
    if not _record(email, status=EmailStatus.FAILED, last_error=_describe(error)):
        return Delivery.SKIPPED
    logger.error(
        "E-mail #%s (%s) failed after %s of %s tries and will not be retried: %s",
        email.pk,
        email.event_key,
        email.attempts,
        MAX_ATTEMPTS,
        _describe(error),
    )
    return Delivery.FAILED


def _record(email: OutboundEmail, **outcome: object) -> bool:
    """Write the outcome of the attempt that began at ``email.claimed_at``, if it still holds it.

    A lease cannot run out during one send (the SMTP timeout is far shorter), so losing the row
    to another worker means a clock or configuration fault worth a log line.
    """
    updated = OutboundEmail.objects.filter(
        pk=email.pk, status=EmailStatus.SENDING, claimed_at=email.claimed_at
    ).update(**outcome)
    if not updated:
        logger.warning("E-mail #%s was claimed by another worker meanwhile.", email.pk)
    return bool(updated)


def _describe(error: BaseException) -> str:
    return f"{type(error).__name__}: {error}"[:LAST_ERROR_LENGTH]


def _check_subject(subject: str) -> None:
    if any(is_control_character(character) for character in subject):
        raise ValueError("An e-mail subject must be one line without control characters.")


def _headers(
    event_key: str, ticket_id: int | None, *, starts_thread: bool, in_reply_to: str
) -> _Headers:
    """The threading headers: a ticket's (token-bearing, pointing at its root) or, for mail
    about no ticket, a random Message-ID answering ``in_reply_to`` if given."""
    if ticket_id is None:
        parent = in_reply_to.strip() if _MESSAGE_ID.fullmatch(in_reply_to.strip()) else ""
        return _Headers(message_id=_message_id(event_key), in_reply_to=parent, references=parent)
    reply_to = threading.reply_address(ticket_id)
    if starts_thread:
        return _Headers(message_id=threading.thread_root(ticket_id), reply_to=reply_to)
    root = threading.thread_root(ticket_id)
    return _Headers(
        message_id=threading.message_id(ticket_id, event_key),
        reply_to=reply_to,
        in_reply_to=root,
        references=root,
    )


def _message_id(event_key: str) -> str:
    """A Message-ID for the event, made once and kept on the row: unique by its random part,
    and short enough that the header stays on one line (``make_msgid``'s time and process id
    would fold it)."""
    return f"<{event_key}.{secrets.token_hex(8)}@{_sender_domain()}>"


def _sender_domain() -> str:
    address = parseaddr(settings.DEFAULT_FROM_EMAIL)[1]
    domain = address.rpartition("@")[2] or "localhost"
    return punycode(domain)
