"""Attachments in the admin: read-only, on their ticket's page, each linked to its download."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.contrib import admin
from django.template.defaultfilters import filesizeformat
from django.urls import reverse
from django.utils.html import format_html

from attachments.models import Attachment
from config.admin import ExistingRowsFormSet
from tickets.models import Ticket

if TYPE_CHECKING:
    from django.db.models import QuerySet
    from django.http import HttpRequest
    from django.utils.safestring import SafeString


class NewestAttachmentsFormSet(ExistingRowsFormSet):
    max_rows = 50


class AttachmentInline(admin.TabularInline[Attachment, Ticket]):
    """A ticket's files, the newest 50: every reply may add some, without limit."""

    model = Attachment
    formset = NewestAttachmentsFormSet
    extra = 0
    can_delete = False
    fields = readonly_fields = (
        "download",
        "content_type",
        "file_size",
        "comment",
        "uploaded_by",
        "created_at",
    )
    verbose_name_plural = "attachments, the newest 50 (deleted with the ticket)"

    def get_queryset(self, request: HttpRequest) -> QuerySet[Attachment]:
        rows = super().get_queryset(request).select_related("uploaded_by", "comment__author")
        return rows.order_by("-created_at", "-pk")

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    @admin.display(description="file")
    def download(self, attachment: Attachment) -> SafeString | str:
        if attachment._state.adding:  # a row a crafted POST claims: it has no file to link to
            return "-"
        url = reverse("attachments:download", kwargs={"pk": attachment.pk})
        return format_html('<a href="{}">{}</a>', url, attachment.name)

    @admin.display(description="size")
    def file_size(self, attachment: Attachment) -> str:
        return filesizeformat(attachment.size)
