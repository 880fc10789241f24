"""Placing the customer's cart: the cart's lines become an order and the cart is emptied, in
one transaction, or nothing happens at all.

The cart's row is locked first (``Cart.objects.locked_for``), so a line added or changed on
another device while the order is placed waits, and either makes it into this order or stays
in the cart for the next; never lost, never ordered twice. The order itself is placed by
``orders.services.place_order``, with every guarantee it has (conditional stock updates,
idempotency); a shortage raises ``InsufficientStock`` and leaves the cart as it was.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import transaction

from cart.models import Cart, CartLine
from orders.services import (
    IdempotencyClaim,
    LineRequest,
    PlacedOrder,
    find_replayed_order,
    place_order,
)

if TYPE_CHECKING:
    from accounts.models import User


class CartEmpty(Exception):
    """There is nothing in the cart to order (it was emptied, or placed, meanwhile)."""


def place_cart(*, customer: User, idempotency: IdempotencyClaim | None = None) -> PlacedOrder:
    """Place an order of everything in the customer's cart and empty it.

    Raises ``CartEmpty``, ``InsufficientStock`` or ``IdempotencyKeyReused``; the cart is
    unchanged then. A replayed key answers the order it placed and leaves the cart alone (it was
    emptied by that order; anything in it now was added since).
    """
    with transaction.atomic():
        cart = Cart.objects.locked_for(customer)
        if idempotency and (order := find_replayed_order(customer=customer, claim=idempotency)):
            return PlacedOrder(order, replayed=True)
        lines = CartLine.objects.filter(cart=cart).order_by("product_id")
        requests = [LineRequest(line.product_id, line.quantity) for line in lines]
        if not requests:
            raise CartEmpty
        placed = place_order(customer=customer, lines=requests, idempotency=idempotency)
        if not placed.replayed:
            lines.delete()
        return placed
