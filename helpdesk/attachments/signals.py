"""Deleting an attachment (usually by a cascade: a ticket or comment deleted in the admin)
queues the deletion of its stored files.

A signal because cascades delete rows without calling any method of ours: ``post_delete`` is the
one hook Django's collector calls for every attachment it deletes, whatever started it. The
files are recorded as orphaned in the deleting transaction and deleted from the storage only
after it commits (a rolled-back delete keeps them); a storage that is down then costs nothing
but a log line, and the maintenance job tries again.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models.signals import post_delete
from django.dispatch import receiver

from attachments.models import Attachment, OrphanedFile


@receiver(post_delete, sender=Attachment, dispatch_uid="attachments.files_deleted")
def queue_file_deletion(sender: type[Attachment], instance: Attachment, **kwargs: Any) -> None:
    from attachments.tasks import delete_orphaned_files
    from config.queue import enqueue

    OrphanedFile.objects.bulk_create(
        [OrphanedFile(name=name) for name in instance.stored_names], ignore_conflicts=True
    )
    transaction.on_commit(lambda: enqueue(delete_orphaned_files))
