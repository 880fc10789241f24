"""Checking uploads and attaching them: the one way a file becomes an attachment.

Web forms and inbound e-mail both call :func:`check_uploads` (every rule, before anything is
written) and then :func:`attach` inside the transaction that creates the ticket or comment.

Files written for a transaction that rolls back: :func:`attach` writes them before its rows, so
a failure inside it removes them at once; a rollback after it (the caller's, or a crash) leaves
files that no row names. Those live in today's folder only, and the maintenance job
(:func:`attachments.cleanup.clean_up_files`) deletes any file of the last days' folders that no
attachment names an hour after it was written. No bookkeeping row is needed for that, so nothing
the rollback takes back is relied upon.
"""

from __future__ import annotations

import logging
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile, File
from django.template.defaultfilters import filesizeformat

from attachments import content, thumbnails
from attachments.models import IMAGE_KINDS, Attachment, Kind
from attachments.storage import attachments_storage, delete_files, new_name, storage_errors

if TYPE_CHECKING:
    from accounts.models import User
    from tickets.models import Comment, Ticket

logger = logging.getLogger(__name__)

MAX_NAME_LENGTH = 120
_MB = 1024 * 1024
NOT_STORED_MESSAGE = "The attachments could not be stored, please try again."


@dataclass(frozen=True)
class CheckedUpload:
    """A file that passed every check, not stored yet."""

    name: str  # the sender's name, cleaned: shown and offered on download
    content_type: Kind  # decided by the content
    size: int
    file: File[bytes]
    thumbnail: thumbnails.Thumbnail | None  # images only


def limits() -> tuple[int, int, int]:
    """Per file bytes, per message bytes, files per message (settings, from the environment)."""
    return (
        settings.HELPDESK_ATTACHMENT_MAX_BYTES,
        settings.HELPDESK_ATTACHMENTS_MAX_TOTAL_BYTES,
        settings.HELPDESK_ATTACHMENTS_MAX_FILES,
    )


def size_text(size: int) -> str:
    """``10 MB`` for a whole number of megabytes (the limits), else Django's ``9.5 MB``."""
    if size >= _MB and size % _MB == 0:
        return f"{size // _MB} MB"
    return str(filesizeformat(size)).replace("\xa0", " ")


def limits_help_text() -> str:
    per_file, total, count = limits()
    return (
        f"Up to {count} files, {size_text(per_file)} each and {size_text(total)} in "
        "all: images (PNG, JPEG, GIF, WebP), PDF, plain text, Word, Excel or PowerPoint "
        "(docx, xlsx, pptx) and OpenDocument files."
    )


def check_uploads(files: Sequence[File[bytes]]) -> list[CheckedUpload]:
    """Check each file and the set; raise one ``ValidationError`` naming every refused file.

    Works for Django's ``UploadedFile`` from a form and for ``ContentFile(data, name=...)``
    from an e-mail. The declared content type (if any) is ignored.
    """
    per_file, total, count = limits()
    if len(files) > count:
        raise ValidationError(
            f"Attach at most {count} files to one message ({len(files)} were chosen).",
            code="too_many_files",
        )
    checked, errors = [], []
    for file in files:
        try:
            checked.append(_check(file, per_file))
        except ValidationError as error:
            errors.extend(error.error_list)
    if errors:
        raise ValidationError(errors)
    if sum(upload.size for upload in checked) > total:
        raise ValidationError(
            f"These files come to {size_text(sum(u.size for u in checked))}; "
            f"a message may carry at most {size_text(total)}.",
            code="total_too_large",
        )
    return checked


def clean_name(raw: str | None) -> str:
    """A display name without folders, control characters or quotes' tricks, at most 120
    characters (the extension kept)."""
    name = unicodedata.normalize("NFC", raw or "").replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(" " if unicodedata.category(c)[0] in "CZ" else c for c in name)
    name = " ".join(name.split()).strip(" .") or "attachment"
    if len(name) > MAX_NAME_LENGTH:
        extension = content.extension_of(name)
        keep = MAX_NAME_LENGTH - len(extension) - 1 if extension else MAX_NAME_LENGTH
        name = f"{name[:keep].rstrip()}.{extension}" if extension else name[:keep]
    return name


def _check(file: File[bytes], per_file: int) -> CheckedUpload:
    name = clean_name(file.name)
    size = file.size
    if not size:
        raise ValidationError(f"“{name}” is empty.", code="empty")
    if size > per_file:
        raise ValidationError(
            f"“{name}” is too large ({size_text(size)}); each file may be at most "
            f"{size_text(per_file)}.",
            code="file_too_large",
        )
    try:
        kind = content.sniff(file)
    except content.NotAllowed as error:
        raise ValidationError(
            f"“{name}” cannot be attached: it is {error}. Attach images, PDF, plain text or "
            "office documents.",
            code="type_not_allowed",
        ) from error
    if not content.name_fits(name, kind):
        raise ValidationError(
            f"“{name}” is not what its name says: its content is a {kind.label}. "
            "Rename it or attach the right file.",
            code="name_mismatch",
        )
    thumbnail = None
    if kind in IMAGE_KINDS:
        try:
            thumbnail = thumbnails.make_thumbnail(file, kind)
        except thumbnails.UnreadableImage as error:
            raise ValidationError(
                f"“{name}” cannot be attached: it is {error}.", code="unreadable_image"
            ) from error
    file.seek(0)
    return CheckedUpload(name=name, content_type=kind, size=size, file=file, thumbnail=thumbnail)


def attach(
    *,
    ticket: Ticket,
    comment: Comment | None,
    uploads: Sequence[CheckedUpload],
    uploaded_by: User,
) -> list[Attachment]:
    """Store ``uploads`` and record them on ``ticket`` (``comment=None``: its opening message).

    Call inside the transaction that creates the ticket or comment. An internal note's files
    are staff-only by the visibility rule (``Attachment.objects.visible_to``). Raises
    ``ValidationError`` (``not_stored``) when the storage fails, after removing what it wrote,
    so the caller's transaction rolls back with nothing left behind.
    """
    if comment is not None and comment.ticket_id != ticket.pk:
        raise ValueError("The comment belongs to another ticket.")
    if not uploaded_by.is_staff and uploaded_by.pk != ticket.creator_id:
        raise PermissionDenied("Only the ticket's creator and staff attach files.")
    storage = attachments_storage()
    attachments: list[Attachment] = []
    written: list[str] = []
    try:
        for upload in uploads:
            upload.file.seek(0)
            attachment = Attachment(
                ticket=ticket,
                comment=comment,
                uploaded_by=uploaded_by,
                name=upload.name,
                content_type=upload.content_type,
                size=upload.size,
            )
            attachment.storage_name = storage.save(new_name(), upload.file)
            written.append(attachment.storage_name)
            if upload.thumbnail is not None:
                preview = ContentFile(upload.thumbnail.content)
                suffix = f"-preview.{upload.thumbnail.extension}"
                attachment.thumbnail_name = storage.save(new_name(suffix=suffix), preview)
                written.append(attachment.thumbnail_name)
                attachment.thumbnail_width = upload.thumbnail.width
                attachment.thumbnail_height = upload.thumbnail.height
            attachments.append(attachment)
    except storage_errors() as error:
        logger.exception("Could not store attachments for ticket #%s.", ticket.pk)
        delete_files(written)
        raise ValidationError(NOT_STORED_MESSAGE, code="not_stored") from error
    try:
        return Attachment.objects.bulk_create(attachments)
    except Exception:
        delete_files(written)
        raise
