"""Removing stored files no attachment uses: after a delete, and after a rollback or a crash.

Both run from the maintenance job (``manage.py run_maintenance``, every 15 minutes), and the
first also right after each delete commits. Every step is safe to repeat or to run at once on
several machines: deleting a file twice is harmless, and a file is only taken for unused once it
is older than :data:`UNCLAIMED_MARGIN`, far longer than any request that writes one.
"""

from __future__ import annotations

from datetime import timedelta

from django.db.models import F
from django.utils import timezone

from attachments.models import Attachment, OrphanedFile
from attachments.storage import attachments_storage, delete_files, storage_errors

UNCLAIMED_MARGIN = timedelta(hours=1)
#: Day folders the sweep looks at: a file left by a rollback is found for a week of runs.
SWEEP_DAYS = 7
BATCH = 500


def delete_orphaned_files() -> dict[str, int]:
    """Ask the storage to delete each file recorded as orphaned; keep the record of failures."""
    names = list(OrphanedFile.objects.values_list("name", flat=True)[:BATCH])
    deleted = delete_files(names)
    OrphanedFile.objects.filter(name__in=deleted).delete()
    failed = sorted(set(names) - set(deleted))
    OrphanedFile.objects.filter(name__in=failed).update(attempts=F("attempts") + 1)
    return {"deleted": len(deleted), "failed": len(failed)}


def sweep_unclaimed_files() -> dict[str, int]:
    """Delete files of the last :data:`SWEEP_DAYS` day folders that no attachment names.

    Such a file was written for a ticket or comment whose transaction then rolled back (or whose
    process died before the commit). Only names the database does not know are dated, so the
    storage is asked one question per stray file, not per file.
    """
    storage = attachments_storage()
    now = timezone.now()
    unclaimed = []
    for days_ago in range(SWEEP_DAYS):
        folder = f"{now - timedelta(days=days_ago):%Y/%m/%d}"
        try:
            _folders, files = storage.listdir(folder)
        except FileNotFoundError:
            continue
        names = {f"{folder}/{file}" for file in files}
        known = set(
            Attachment.objects.filter(storage_name__in=names).values_list("storage_name", flat=True)
        ) | set(
            Attachment.objects.filter(thumbnail_name__in=names).values_list(
                "thumbnail_name", flat=True
            )
        )
        for name in sorted(names - known):
            try:
                if storage.get_modified_time(name) < now - UNCLAIMED_MARGIN:
                    unclaimed.append(name)
            except storage_errors():
                continue  # gone meanwhile, or the storage hiccuped: the next run looks again
    deleted = delete_files(unclaimed)
    return {"unclaimed_deleted": len(deleted)}


def clean_up_files() -> dict[str, int]:
    return delete_orphaned_files() | sweep_unclaimed_files()
