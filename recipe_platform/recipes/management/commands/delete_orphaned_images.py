"""``manage.py delete_orphaned_images [--scan-storage]``: the photo clean-up, run now.

The scheduled maintenance (``run_maintenance``) already runs it as a task, a batch at a time;
this runs every due batch at once, and ``--scan-storage`` first finds the files no record knows
(stored before the records existed), which is the only part that lists the storage.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from recipes import cleanup


class Command(BaseCommand):
    help = (
        "Delete the photo files no recipe uses whose time is up (abandoned uploads and held "
        "photos, old photos whose deletion task failed). --scan-storage also finds unrecorded "
        "ones by listing the storage."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--scan-storage",
            action="store_true",
            help="First list the photo folder for unused files no record knows (slow on S3).",
        )
        parser.add_argument(
            "--older-than-hours",
            type=int,
            default=int(cleanup.SCAN_MIN_AGE.total_seconds() // 3600),
            help="With --scan-storage, only files at least this old (keep it above 25 hours).",
        )

    def handle(self, *args: Any, scan_storage: bool, older_than_hours: int, **options: Any) -> None:
        if scan_storage:
            found = cleanup.track_unrecorded_files(older_than=timedelta(hours=older_than_hours))
            self.stdout.write(f"Found {found} unrecorded unused photo file(s).")
        deleted = failed = 0
        while True:
            counts = cleanup.delete_orphaned_images()
            deleted += counts["deleted"]
            failed += counts["failed"]
            # A batch that deleted nothing is the last: what failed is pushed back an hour.
            if counts["deleted"] + counts["in_use"] == 0:
                break
        self.stdout.write(f"Deleted {deleted} unused photo file(s).")
        if failed:
            self.stderr.write(f"{failed} could not be deleted; they are tried again later.")
