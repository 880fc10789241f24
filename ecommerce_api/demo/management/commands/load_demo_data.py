from typing import TYPE_CHECKING, cast

from django.core.management.base import BaseCommand
from django.db import transaction

from config import planner_statistics
from demo.order_history import seed_alerts, seed_order_history
from demo.seed import (
    DEMO_ACCOUNTS,
    DEMO_CUSTOMER,
    DEMO_PASSWORD,
    seed_accounts,
    seed_catalogue,
    seed_token,
)
from demo.shop_photos import seed_cart, seed_product_photos

if TYPE_CHECKING:
    from accounts.models import User


class Command(BaseCommand):
    help = "Create the demo accounts and data. Safe to run again: nothing is created twice."

    @transaction.atomic
    def handle(self, *args: object, **options: object) -> None:
        accounts = seed_accounts()
        products = seed_catalogue()
        token = seed_token(accounts[DEMO_CUSTOMER])
        customer = cast("User", accounts[DEMO_CUSTOMER])
        placed = seed_order_history(customer=customer, staff=cast("User", accounts["admin"]))
        alerts = seed_alerts(customer=customer)
        photos = seed_product_photos(products)
        cart_lines = seed_cart(customer=customer)
        # After the commit: the planner should see the rows this command made.
        transaction.on_commit(planner_statistics.refresh)
        self.stdout.write(self.style.SUCCESS(f"Demo data is ready: {len(products)} products."))
        for account in DEMO_ACCOUNTS:
            role = "staff" if account.is_staff else "user"
            self.stdout.write(f"  {account.username} / {DEMO_PASSWORD} ({role})")
        self.stdout.write(
            f"{DEMO_CUSTOMER}: {placed} new orders (placed, paid, shipped, delivered, "
            f"cancelled), {alerts} back-in-stock alerts"
        )
        self.stdout.write(
            f"{photos} new product photos; {cart_lines} new lines in {DEMO_CUSTOMER}'s cart"
        )
        self.stdout.write(f"API token of {DEMO_CUSTOMER}: {token.key}")
        self.stdout.write(f'  curl -H "Authorization: Token {token.key}" <server>/api/orders/')
