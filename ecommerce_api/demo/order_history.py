"""Demo orders in each state of the lifecycle and back-in-stock alerts, for the demo customer.

Everything goes through the services, as in real use: stock is taken, the history records
who moved each order, and the e-mails wait in the outbox for the worker (the console backend
prints them under ``nox -s demo``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from alerts.services import subscribe
from catalog.models import Product
from orders import lifecycle
from orders.models import Order
from orders.services import LineRequest, place_order

if TYPE_CHECKING:
    from accounts.models import User

#: (product slug, quantity) per order, and the steps the shop takes after it is placed.
DEMO_ORDERS: tuple[tuple[tuple[tuple[str, int], ...], tuple[str, ...]], ...] = (
    ((("pixelon-8", 1), ("usb-c-cable-1-m", 2)), ("paid", "shipped", "delivered")),
    ((("buds-pro", 1),), ("paid", "shipped")),
    ((("aero-13", 1), ("laptop-sleeve-14", 1)), ("paid",)),
    ((("stride-band", 2),), ()),
    ((("boom-speaker", 1),), ("cancelled",)),
)
#: Sold-out products the customer waits for.
DEMO_ALERTS = ("nimbus-mini", "studio-headphones-wireless")


def seed_order_history(*, customer: User, staff: User) -> int:
    """The demo orders, once: nothing is placed if the customer has any order already.
    Returns how many orders were placed."""
    if Order.objects.owned_by(customer).exists():
        return 0
    products = {p.slug: p for p in Product.objects.all()}
    for lines, steps in DEMO_ORDERS:
        order = place_order(
            customer=customer,
            lines=[LineRequest(products[slug].pk, quantity) for slug, quantity in lines],
        ).order
        for step in steps:
            actor = customer if step == Order.Status.CANCELLED else staff
            lifecycle.change_status(order=order, to=step, actor=actor)
    return len(DEMO_ORDERS)


def seed_alerts(*, customer: User) -> int:
    """The customer's alerts on sold-out products (idempotent); returns how many exist."""
    count = 0
    for product in Product.objects.filter(slug__in=DEMO_ALERTS, stock=0):
        subscribe(user=customer, product=product)
        count += 1
    return count
