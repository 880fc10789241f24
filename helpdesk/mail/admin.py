"""The outbox, read-only: what was sent, what waits for a retry, and why one failed."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.contrib import admin

from config.admin import CheckedChangeListMixin
from mail.models import OutboundEmail

if TYPE_CHECKING:
    from django.http import HttpRequest


@admin.register(OutboundEmail)
class OutboundEmailAdmin(CheckedChangeListMixin, admin.ModelAdmin[OutboundEmail]):
    list_display = (
        "created_at",
        "event_key",
        "recipient",
        "subject",
        "status",
        "attempts",
        "next_attempt_at",
        "sent_at",
    )
    list_filter = ("status",)
    date_hierarchy = "created_at"
    search_fields = ("event_key", "recipient", "subject", "message_id")
    list_per_page = 50
    # Every field, shown and never edited: the outbox is the record of what the workers did.
    fields = readonly_fields = (
        "event_key",
        "recipient",
        "subject",
        "body",
        "html_body",
        "message_id",
        "reply_to",
        "in_reply_to",
        "references",
        "status",
        "attempts",
        "next_attempt_at",
        "claimed_at",
        "sent_at",
        "last_error",
        "created_at",
    )

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
