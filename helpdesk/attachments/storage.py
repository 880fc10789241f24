"""Where attachment files live: ``STORAGES["attachments"]``, never the public media storage.

Locally a folder outside every web root (``HELPDESK_ATTACHMENTS_ROOT``), files 0600; in
production, given ``HELPDESK_ATTACHMENTS_BUCKET``, a private S3-compatible bucket whose objects
are reachable only through URLs the download view signs for 60 seconds. Names are random
(``2026/05/13/<uuid4 hex>``): nothing the sender chose ever reaches a path, and the day folders
let the clean-up look at recent files only.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Iterable
from typing import TYPE_CHECKING

from botocore.exceptions import BotoCoreError, ClientError
from django.core.files.storage import storages
from django.utils import timezone
from storages.backends.s3 import S3Storage

if TYPE_CHECKING:
    from django.core.files.storage import Storage

logger = logging.getLogger(__name__)

STORAGE_ALIAS = "attachments"
#: What a storage raises when it cannot read, write or delete: the file system's errors (a full
#: disk, a missing folder) and botocore's (S3 refusing the request, or unreachable).
STORAGE_ERRORS = (OSError, BotoCoreError, ClientError)
SIGNED_URL_SECONDS = 60


def attachments_storage() -> Storage:
    """Read at each use, so a test or deployment swaps it through ``STORAGES`` alone."""
    return storages[STORAGE_ALIAS]


def signed_url(name: str, *, disposition: str, content_type: str) -> str | None:
    """A URL to ``name`` valid for :data:`SIGNED_URL_SECONDS`, whose signature also fixes the
    answer's Content-Disposition and Content-Type; None for a storage that cannot sign (a
    folder: the view streams the file itself)."""
    storage = attachments_storage()
    if not isinstance(storage, S3Storage):
        return None
    url: str = storage.url(
        name,
        parameters={
            "ResponseContentDisposition": disposition,
            "ResponseContentType": content_type,
        },
        expire=SIGNED_URL_SECONDS,
    )
    return url


def new_name(*, suffix: str = "") -> str:
    return f"{timezone.now():%Y/%m/%d}/{uuid.uuid4().hex}{suffix}"


def delete_files(names: Iterable[str]) -> list[str]:
    """Delete stored files; returns those deleted (or already gone). Failures are logged."""
    storage = attachments_storage()
    deleted = []
    for name in names:
        try:
            storage.delete(name)
        except STORAGE_ERRORS:
            logger.exception("Could not delete the attachment file %s.", name)
        else:
            deleted.append(name)
    return deleted
