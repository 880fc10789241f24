from datetime import timedelta

from django.core.management.base import BaseCommand, CommandParser

from recipes.services import ORPHAN_GRACE, delete_orphaned_images


class Command(BaseCommand):
    help = (
        "Delete photo files that no recipe uses (abandoned forms, recipes deleted with their "
        "author). Run it daily, e.g. from cron."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--older-than-hours",
            type=int,
            default=int(ORPHAN_GRACE.total_seconds() // 3600),
            help="Only files at least this old; keep it above a held upload's 24 hours.",
        )

    def handle(self, *args: object, older_than_hours: int, **options: object) -> None:
        deleted = delete_orphaned_images(older_than=timedelta(hours=older_than_hours))
        self.stdout.write(f"Deleted {len(deleted)} unused photo file(s).")
