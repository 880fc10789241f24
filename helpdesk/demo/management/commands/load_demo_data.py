from django.core.management.base import BaseCommand
from django.db import transaction

from config import planner_statistics
from demo.history import seed_report_history
from demo.seed import (
    DEMO_ACCOUNTS,
    DEMO_PASSWORD,
    seed_accounts,
    seed_attachments,
    seed_canned_replies,
    seed_inbound_email,
    seed_rating,
    seed_tickets,
)
from demo.service_levels import seed_service_level_tickets


class Command(BaseCommand):
    help = "Create the demo accounts and tickets. Safe to run again: nothing is created twice."

    @transaction.atomic
    def handle(self, *args: object, **options: object) -> None:
        people = seed_accounts()
        tickets = seed_tickets(people)
        seed_attachments(people)
        seed_inbound_email()
        seed_canned_replies(people)
        seed_rating(people)
        seed_report_history(people)
        seed_service_level_tickets(people)
        # After the commit: the planner should see the rows this command made.
        transaction.on_commit(planner_statistics.refresh)
        self.stdout.write(self.style.SUCCESS(f"Demo data is ready ({len(tickets)} tickets)."))
        for account in DEMO_ACCOUNTS:
            role = "superuser" if account.is_superuser else "staff" if account.is_staff else "user"
            self.stdout.write(f"  {account.username} / {DEMO_PASSWORD} ({role})")
