"""Saved replies staff insert into a ticket's reply box (placeholders: ``canned.services``)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models.functions import Lower

from accounts.validators import validate_single_line


class CannedReplyQuerySet(models.QuerySet["CannedReply"]):
    def with_title(self, title: str) -> CannedReplyQuerySet:
        """Replies whose title equals ``title`` ignoring case, compared exactly as the
        database's unique constraint compares them (``LOWER()`` on both sides)."""
        return self.alias(lower_title=Lower("title")).filter(lower_title=Lower(models.Value(title)))


class CannedReply(models.Model):
    """One saved reply, shared by every staff member.

    Titles are unique ignoring case ("Password reset" and "password reset" would be the same
    entry in the picker): the form says so beside the field, and the database's unique index on
    ``LOWER(title)`` holds it against a race. That index also serves the ordering.
    """

    title = models.CharField(max_length=120, validators=[validate_single_line])
    body = models.TextField(
        help_text="Placeholders: {customer_name} and {ticket_number}. Nothing else is replaced."
    )
    # Who wrote it first; kept (as unknown) if that account is ever deleted.
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    objects = CannedReplyQuerySet.as_manager()

    class Meta:
        verbose_name = "canned reply"
        verbose_name_plural = "canned replies"
        ordering = [Lower("title"), "pk"]
        constraints = [
            models.UniqueConstraint(
                Lower("title"),
                name="canned_reply_title_ci_unique",
                violation_error_message="A saved reply with this title already exists.",
            ),
        ]

    def __str__(self) -> str:
        return self.title
