"""The log of received e-mail: one row per message, whatever became of it.

The row is written in the same transaction as the ticket or reply the message makes, and its
Message-ID is unique, so a message delivered twice (a webhook retried after a timeout, an MTA
piping it again after a crash, the same mail reaching two of our addresses) makes exactly one
ticket or reply: the second delivery finds the row and changes nothing.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Now

from inbound.parsing import MESSAGE_ID_LENGTH


class Channel(models.TextChoices):
    """The way a message came in."""

    PIPE = "pipe", "MTA pipe (manage.py receive_email)"
    MAILGUN = "mailgun", "Mailgun webhook"


class Outcome(models.TextChoices):
    OPENED = "opened", "Opened a ticket"
    REPLIED = "replied", "Added a reply"
    REFUSED = "refused", "Unknown sender, answered with a sign-up invitation"
    DROPPED = "dropped", "Dropped"


class InboundEmail(models.Model):
    message_id = models.CharField(
        "Message-ID",
        max_length=MESSAGE_ID_LENGTH,
        help_text="The message's own Message-ID, or sha256:<hash> of its bytes when it has none.",
    )
    channel = models.CharField(max_length=16, choices=Channel)
    sender = models.CharField(max_length=254, blank=True, help_text="The From address, if valid.")
    subject = models.CharField(max_length=255, blank=True)
    size = models.PositiveIntegerField(help_text="Bytes, as received.")
    outcome = models.CharField(max_length=16, choices=Outcome)
    reason = models.CharField(
        max_length=200, blank=True, help_text="Why it was dropped or refused; empty otherwise."
    )
    ticket = models.ForeignKey(
        "tickets.Ticket",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="inbound_emails",
    )
    comment = models.ForeignKey(
        "tickets.Comment",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="inbound_emails",
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="inbound_emails",
    )
    received_at = models.DateTimeField(db_default=Now(), editable=False)

    class Meta:
        verbose_name = "inbound e-mail"
        ordering = ["-received_at", "-pk"]
        indexes = [
            # The admin's list, newest first, and its outcome filter.
            models.Index(fields=["-received_at"], name="inbound_received_idx"),
            models.Index(fields=["outcome", "-received_at"], name="inbound_outcome_idx"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["message_id"],
                name="inbound_one_row_per_message",
                violation_error_message="This message has already been received.",
            ),
            models.CheckConstraint(
                condition=Q(channel__in=Channel.values),
                name="inbound_channel_valid",
                violation_error_message="Unknown inbound channel.",
            ),
            models.CheckConstraint(
                condition=Q(outcome__in=Outcome.values),
                name="inbound_outcome_valid",
                violation_error_message="Unknown inbound outcome.",
            ),
            models.CheckConstraint(
                condition=~Q(message_id=""),
                name="inbound_message_id_not_empty",
                violation_error_message="Every received message has a key.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.message_id} from {self.sender or 'unknown'} ({self.get_outcome_display()})"
