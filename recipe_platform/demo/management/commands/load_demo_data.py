from django.core.management.base import BaseCommand
from django.db import transaction

from config import planner_statistics
from demo.community import seed_community
from demo.gallery import seed_galleries
from demo.history import seed_history
from demo.seed import (
    DEMO_ACCOUNTS,
    DEMO_PASSWORD,
    seed_accounts,
    seed_recipes,
    seed_shopping_list,
)


class Command(BaseCommand):
    help = "Create the demo accounts and data. Safe to run again: nothing is created twice."

    @transaction.atomic
    def handle(self, *args: object, **options: object) -> None:
        accounts = seed_accounts()
        recipes = seed_recipes(accounts)
        seed_shopping_list(accounts["cook"])
        seed_community(accounts)
        seed_galleries()
        seed_history()
        # After the commit: the planner should see the rows this command made.
        transaction.on_commit(planner_statistics.refresh)
        self.stdout.write(self.style.SUCCESS(f"Demo data is ready ({len(recipes)} new recipes)."))
        for account in DEMO_ACCOUNTS:
            role = "staff" if account.is_staff else "user"
            self.stdout.write(f"  {account.username} / {DEMO_PASSWORD} ({role})")
