"""The outbox: every e-mail the helpdesk sends is first a row here, written with the change.

A row is written in the same transaction as the change it reports (a status change, a staff
reply), so the two commit or roll back together, and a mail server or task queue that is down
loses nothing: the row waits. An event mailed to several people (a new ticket to every staff
member) is one row per recipient, each delivered and retried on its own. Delivery
(``mail.services.deliver``) claims a row with one conditional UPDATE, so however many workers
run the same task, one of them sends it; the event key and recipient (unique together) make
queueing the same e-mail twice impossible; the Message-ID is fixed when the row is written,
so even the one duplicate that can happen (a worker dies after the SMTP server accepted the
message and before the row says "sent") carries the same Message-ID, which mail clients use to
show it once.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Final

from django.db import models
from django.db.models import Q
from django.utils import timezone

#: Tries per e-mail, the first included; the README states this number.
MAX_ATTEMPTS: Final = 8
#: A "sending" row whose worker has not finished after this long is taken to be abandoned (the
#: worker died mid-send) and may be claimed again. Far longer than any send can take: the SMTP
#: connection times out after ``EMAIL_TIMEOUT`` (20 s) of silence.
CLAIM_LEASE: Final = timedelta(minutes=10)
#: ``last_error`` keeps this many characters of the error: enough for an SMTP reply.
LAST_ERROR_LENGTH: Final = 500


class EmailStatus(models.TextChoices):
    PENDING = "pending", "Pending"
    SENDING = "sending", "Sending"
    SENT = "sent", "Sent"
    FAILED = "failed", "Failed"


class OutboundEmail(models.Model):
    """One e-mail for one event and one recipient, with its delivery state.

    The threading headers are stored as they will be sent: a ticket's e-mails name its thread
    root in ``In-Reply-To`` and ``References`` and its tokenised reply address in
    ``Reply-To`` (``mail.threading``), so mail clients show one conversation and a reply finds
    its ticket.
    """

    event_key = models.CharField(
        max_length=100,
        help_text="What the e-mail reports, e.g. ticket-12-change-34: one e-mail per event "
        "and recipient.",
    )
    recipient = models.EmailField()
    subject = models.CharField(max_length=255, help_text="One clean line (header-safe).")
    body = models.TextField(help_text="The plain-text part.")
    html_body = models.TextField(
        blank=True, default="", help_text="The HTML alternative, if any (rendered autoescaped)."
    )
    message_id = models.CharField(
        "Message-ID",
        max_length=255,
        help_text="Fixed when queued, so every delivery attempt carries the same one.",
    )
    reply_to = models.EmailField(
        "Reply-To", blank=True, default="", help_text="Where a reply goes (a ticket's address)."
    )
    in_reply_to = models.CharField(
        "In-Reply-To", max_length=255, blank=True, default="", help_text="The parent message."
    )
    references = models.CharField(
        "References",
        max_length=1000,
        blank=True,
        default="",
        help_text="The thread's Message-IDs, oldest first, separated by spaces.",
    )
    status = models.CharField(
        max_length=16, choices=EmailStatus, default=EmailStatus.PENDING, db_default="pending"
    )
    attempts = models.PositiveSmallIntegerField(default=0, db_default=0)
    next_attempt_at = models.DateTimeField(
        default=timezone.now, help_text="When a pending e-mail may be tried (again)."
    )
    claimed_at = models.DateTimeField(
        null=True, blank=True, help_text="When the current attempt started (while sending)."
    )
    sent_at = models.DateTimeField(null=True, blank=True)
    last_error = models.CharField(max_length=LAST_ERROR_LENGTH, blank=True, default="")
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = "outbound e-mail"
        ordering = ["-created_at", "-pk"]
        indexes = [
            # Maintenance: pending e-mails whose task is overdue (partial: pending rows only).
            models.Index(
                fields=["next_attempt_at"],
                name="outbox_pending_due_idx",
                condition=Q(status="pending"),
            ),
            # Maintenance: e-mails whose worker died mid-send (partial: sending rows only).
            models.Index(
                fields=["claimed_at"],
                name="outbox_sending_claimed_idx",
                condition=Q(status="sending"),
            ),
            # The admin's list and date hierarchy, and the purge of old rows.
            models.Index(fields=["-created_at"], name="outbox_created_idx"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["event_key", "recipient"],
                name="outbox_one_email_per_event_recipient",
                violation_error_message="This event's e-mail to this recipient is already in "
                "the outbox.",
            ),
            models.CheckConstraint(
                condition=Q(status__in=EmailStatus.values),
                name="outbox_status_valid",
                violation_error_message="Unknown e-mail status.",
            ),
            models.CheckConstraint(
                condition=Q(attempts__lte=MAX_ATTEMPTS),
                name="outbox_attempts_bounded",
                violation_error_message=f"An e-mail is tried at most {MAX_ATTEMPTS} times.",
            ),
            models.CheckConstraint(
                condition=(
                    Q(status="sent", sent_at__isnull=False)
                    | (~Q(status="sent") & Q(sent_at__isnull=True))
                ),
                name="outbox_sent_at_iff_sent",
                violation_error_message="An e-mail has a sending time exactly when sent.",
            ),
            models.CheckConstraint(
                condition=~Q(status="sending") | Q(claimed_at__isnull=False),
                name="outbox_sending_is_claimed",
                violation_error_message="An e-mail being sent records when its attempt began.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.event_key} to {self.recipient} ({self.get_status_display()})"
