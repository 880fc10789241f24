"""The inbound log in the admin: read-only, it records what happened to each message."""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest

from config.admin import CheckedChangeListMixin
from inbound.models import InboundEmail


@admin.register(InboundEmail)
class InboundEmailAdmin(CheckedChangeListMixin, admin.ModelAdmin[InboundEmail]):
    list_display = ["received_at", "sender", "subject", "channel", "outcome", "reason", "ticket"]
    list_filter = ["outcome", "channel"]
    search_fields = ["sender", "subject", "message_id"]
    date_hierarchy = "received_at"
    list_select_related = ["ticket"]
    readonly_fields = [
        "message_id",
        "channel",
        "sender",
        "subject",
        "size",
        "outcome",
        "reason",
        "ticket",
        "comment",
        "author",
        "received_at",
    ]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: InboundEmail | None = None) -> bool:
        return False
