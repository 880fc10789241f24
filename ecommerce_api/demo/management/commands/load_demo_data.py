from django.core.management.base import BaseCommand
from django.db import transaction

from demo.seed import (
    DEMO_ACCOUNTS,
    DEMO_CUSTOMER,
    DEMO_PASSWORD,
    seed_accounts,
    seed_catalogue,
    seed_token,
)


class Command(BaseCommand):
    help = "Create the demo accounts and data. Safe to run again: nothing is created twice."

    @transaction.atomic
    def handle(self, *args: object, **options: object) -> None:
        accounts = seed_accounts()
        products = seed_catalogue()
        token = seed_token(accounts[DEMO_CUSTOMER])
        self.stdout.write(self.style.SUCCESS(f"Demo data is ready: {len(products)} products."))
        for account in DEMO_ACCOUNTS:
            role = "staff" if account.is_staff else "user"
            self.stdout.write(f"  {account.username} / {DEMO_PASSWORD} ({role})")
        self.stdout.write(f"API token of {DEMO_CUSTOMER}: {token.key}")
        self.stdout.write(f'  curl -H "Authorization: Token {token.key}" <server>/api/orders/')
