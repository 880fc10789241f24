"""Where attachment files live: ``STORAGES["attachments"]``, never the public media storage.

Locally a folder outside every web root (``HELPDESK_ATTACHMENTS_ROOT``), files 0600; in
production, given ``HELPDESK_ATTACHMENTS_BUCKET``, a private S3-compatible bucket whose objects
are reachable only through URLs the download view signs for 60 seconds. Names are random
(``2026/05/13/<uuid4 hex>``): nothing the sender chose ever reaches a path, and the day folders
let the clean-up look at recent files only.
"""

from __future__ import annotations

import logging
import sys
import uuid
from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.core.files.storage import storages
from django.utils import timezone

if TYPE_CHECKING:
    from django.core.files.storage import Storage
    from storages.backends.s3 import S3Storage

logger = logging.getLogger(__name__)

STORAGE_ALIAS = "attachments"
SIGNED_URL_SECONDS = 60


def storage_errors() -> tuple[type[Exception], ...]:
    """What a storage raises when it cannot read, write or delete: the file system's errors (a
    full disk, a missing folder) and, once the S3 backend is in use, botocore's (S3 refusing the
    request, or unreachable).

    boto3 and botocore take half a second to import, which every process (each gunicorn worker,
    the task worker, each management command) would pay without a bucket. They are loaded by the
    S3 storage when it is first used, before it can raise, so a process that has not loaded
    botocore cannot be handed one of its errors. Called in the ``except`` clause, i.e. after the
    storage was used.
    """
    botocore_exceptions = sys.modules.get("botocore.exceptions")
    if botocore_exceptions is None:
        return (OSError,)
    return (OSError, botocore_exceptions.BotoCoreError, botocore_exceptions.ClientError)


def _s3_storage_class() -> type[S3Storage] | None:
    """The S3 backend's class if this process loaded it (a storage configured with a bucket
    has, when ``storages[...]`` built it); without it no storage can be one."""
    module = sys.modules.get("storages.backends.s3")
    return None if module is None else module.S3Storage


def attachments_storage() -> Storage:
    """Read at each use, so a test or deployment swaps it through ``STORAGES`` alone."""
    return storages[STORAGE_ALIAS]


def signed_url(name: str, *, disposition: str, content_type: str) -> str | None:
    """A URL to ``name`` valid for :data:`SIGNED_URL_SECONDS`, whose signature also fixes the
    answer's Content-Disposition and Content-Type; None for a storage that cannot sign (a
    folder: the view streams the file itself)."""
    storage = attachments_storage()
    s3_storage = _s3_storage_class()
    if s3_storage is None or not isinstance(storage, s3_storage):
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
        except storage_errors():
            logger.exception("Could not delete the attachment file %s.", name)
        else:
            deleted.append(name)
    return deleted
