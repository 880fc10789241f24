"""Downloads and previews, each through the ticket's own visibility rule.

Another customer's file, an internal note's file for a customer and a missing file are the same
404. A download is always ``Content-Disposition: attachment`` (RFC 6266 filename, the type the
content proved, ``nosniff``): nothing uploaded is ever rendered by the browser as a page. On
object storage the view answers with a redirect to a URL the storage signs for 60 seconds, with
that same disposition and type forced by the signature. Previews are re-encoded images, served
inline from this site (so the strict ``img-src 'self'`` policy holds, on S3 too).
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from django.http import FileResponse, Http404, HttpResponseRedirect
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_safe

from accounts.http import AuthenticatedHttpRequest
from attachments.models import Attachment
from attachments.storage import attachments_storage, signed_url, storage_errors

if TYPE_CHECKING:
    from django.core.files import File

logger = logging.getLogger(__name__)


@require_safe
def download(request: AuthenticatedHttpRequest, pk: int) -> HttpResponseBase:
    attachment = get_object_or_404(Attachment.objects.visible_to(request.user), pk=pk)
    disposition = content_disposition_header(as_attachment=True, filename=attachment.name)
    url = signed_url(
        attachment.storage_name,
        disposition=disposition or "attachment",
        content_type=attachment.content_type,
    )
    if url is not None:
        return _private(HttpResponseRedirect(url))
    return _private(
        FileResponse(
            _open(attachment.storage_name),
            as_attachment=True,
            filename=attachment.name,
            content_type=attachment.content_type,
        )
    )


@require_safe
def thumbnail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponseBase:
    attachment = get_object_or_404(
        Attachment.objects.visible_to(request.user).exclude(thumbnail_name=""), pk=pk
    )
    response = FileResponse(
        _open(attachment.thumbnail_name), content_type=attachment.thumbnail_content_type
    )
    filename = f"preview-{attachment.pk}.{attachment.thumbnail_name[-3:]}"
    response["Content-Disposition"] = (
        content_disposition_header(as_attachment=False, filename=filename) or "inline"
    )
    return _private(response)


def _open(name: str) -> File[bytes]:
    """The stored file; a file the storage lost (or cannot reach) is a 404, logged, not a 500."""
    try:
        return attachments_storage().open(name, "rb")
    except storage_errors() as error:
        logger.exception("Could not open the attachment file %s.", name)
        raise Http404("This file is not available.") from error


def _private(response: HttpResponseBase) -> HttpResponseBase:
    """Headers every answer of these views carries: the browser must not guess a type, and no
    shared cache may keep what only this user may see."""
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
