"""Saved replies in the admin, with the staff pages' form (a duplicate title is a field error)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib import admin

from canned.forms import CannedReplyForm
from canned.models import CannedReply
from config.admin import CheckedChangeListMixin

if TYPE_CHECKING:
    from django.http import HttpRequest


@admin.register(CannedReply)
class CannedReplyAdmin(CheckedChangeListMixin, admin.ModelAdmin[CannedReply]):
    form = CannedReplyForm
    list_display = ["title", "created_by", "updated_at"]
    list_select_related = ["created_by"]
    search_fields = ["title", "body"]
    fields = ["title", "body", "created_by", "updated_at"]
    readonly_fields = ["created_by", "updated_at"]

    def save_model(
        self, request: HttpRequest, obj: CannedReply, form: CannedReplyForm, change: bool
    ) -> None:
        """A reply added here is credited to the admin user, as on the staff pages."""
        if not change:
            obj.created_by = request.user  # type: ignore[assignment]
        super().save_model(request, obj, form, change)
