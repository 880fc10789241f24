"""Files attached to a ticket's opening message or to one of its comments.

The bytes live in ``STORAGES["attachments"]`` (private: a folder outside the web roots, or a
private bucket) under random names; a row here is the only way to reach them, and every lookup
goes through :meth:`AttachmentQuerySet.visible_to`, the ticket's own visibility rule.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Now

from tickets.models import Ticket

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from accounts.models import User


class Kind(models.TextChoices):
    """Every content type an attachment may have: the allowlist, decided by the content."""

    PNG = "image/png", "PNG image"
    JPEG = "image/jpeg", "JPEG image"
    GIF = "image/gif", "GIF image"
    WEBP = "image/webp", "WebP image"
    PDF = "application/pdf", "PDF document"
    TEXT = "text/plain; charset=utf-8", "Text file"
    DOCX = (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "Word document",
    )
    XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "Excel workbook"
    PPTX = (
        "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        "PowerPoint presentation",
    )
    ODT = "application/vnd.oasis.opendocument.text", "OpenDocument text"
    ODS = "application/vnd.oasis.opendocument.spreadsheet", "OpenDocument spreadsheet"
    ODP = "application/vnd.oasis.opendocument.presentation", "OpenDocument presentation"


IMAGE_KINDS = frozenset({Kind.PNG, Kind.JPEG, Kind.GIF, Kind.WEBP})


class AttachmentQuerySet(models.QuerySet["Attachment"]):
    def visible_to(self, user: User | AnonymousUser) -> AttachmentQuerySet:
        """The attachments ``user`` may read: those of tickets they may read
        (``Ticket.objects.visible_to``), minus internal notes' files unless they are staff.

        So another customer's file, an internal note's file and a missing one are the same 404.
        """
        visible = self.filter(ticket__in=Ticket.objects.visible_to(user))
        if not user.is_staff:
            visible = visible.filter(Q(comment__isnull=True) | Q(comment__is_internal=False))
        return visible

    def of_opening_message(self) -> AttachmentQuerySet:
        return self.filter(comment__isnull=True)


class Attachment(models.Model):
    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="attachments")
    comment = models.ForeignKey(
        "tickets.Comment",
        on_delete=models.CASCADE,
        related_name="attachments",
        null=True,
        blank=True,
        help_text="Empty for the ticket's opening message.",
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="attachments_uploaded"
    )
    name = models.CharField(
        max_length=255, help_text="The sender's file name, cleaned: shown and offered on download."
    )
    content_type = models.CharField(max_length=100, choices=Kind)
    size = models.PositiveBigIntegerField(help_text="Bytes.")
    storage_name = models.CharField(max_length=100, unique=True, editable=False)
    # A re-encoded preview (images only): the only form in which an upload is ever shown inline.
    thumbnail_name = models.CharField(max_length=100, blank=True, default="", editable=False)
    thumbnail_width = models.PositiveSmallIntegerField(null=True, blank=True, editable=False)
    thumbnail_height = models.PositiveSmallIntegerField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(db_default=Now(), editable=False)

    objects = AttachmentQuerySet.as_manager()

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(content_type__in=Kind.values),
                name="attachment_content_type_allowed",
                violation_error_message="This type of file is not allowed.",
            ),
            models.CheckConstraint(
                condition=Q(size__gt=0),
                name="attachment_not_empty",
                violation_error_message="An attachment cannot be empty.",
            ),
            models.CheckConstraint(
                condition=~Q(name="") & ~Q(storage_name=""),
                name="attachment_names_not_empty",
                violation_error_message="An attachment needs a name and a stored file.",
            ),
            models.CheckConstraint(
                condition=(
                    Q(
                        thumbnail_name="",
                        thumbnail_width__isnull=True,
                        thumbnail_height__isnull=True,
                    )
                    | (
                        ~Q(thumbnail_name="")
                        & Q(thumbnail_width__gt=0, thumbnail_height__gt=0)
                        & Q(content_type__in=sorted(kind.value for kind in IMAGE_KINDS))
                    )
                ),
                name="attachment_thumbnail_complete",
                violation_error_message="A preview has a file and a size, and only for images.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} on #{self.ticket_id}"

    @property
    def kind_label(self) -> str:
        return Kind(self.content_type).label

    @property
    def has_thumbnail(self) -> bool:
        return bool(self.thumbnail_name)

    @property
    def thumbnail_content_type(self) -> str:
        return "image/png" if self.thumbnail_name.endswith(".png") else "image/jpeg"

    @property
    def stored_names(self) -> list[str]:
        return [name for name in (self.storage_name, self.thumbnail_name) if name]


class OrphanedFile(models.Model):
    """A stored file whose attachment was deleted, waiting for the storage to delete it.

    Written in the deleting transaction, so a delete that commits always leaves a record of
    its files, and one that rolls back leaves none; the storage is then asked after the commit,
    and again by the maintenance job until it succeeds (a storage outage never breaks a delete).
    """

    name = models.CharField(max_length=100, unique=True)
    attempts = models.PositiveSmallIntegerField(default=0, db_default=0)
    created_at = models.DateTimeField(db_default=Now(), editable=False)

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.name
