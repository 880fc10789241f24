from django.core.management.base import BaseCommand
from django.db import transaction

from demo.seed import DEMO_ACCOUNTS, DEMO_PASSWORD, seed_accounts


class Command(BaseCommand):
    help = "Create the demo accounts and data. Safe to run again: nothing is created twice."

    @transaction.atomic
    def handle(self, *args: object, **options: object) -> None:
        seed_accounts()
        self.stdout.write(self.style.SUCCESS("Demo data is ready."))
        for account in DEMO_ACCOUNTS:
            role = "staff" if account.is_staff else "user"
            self.stdout.write(f"  {account.username} / {DEMO_PASSWORD} ({role})")
