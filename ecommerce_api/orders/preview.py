"""What an order would be, without placing it: totals at today's prices and, for each line
the stock cannot cover, how much is left.

Read-only by construction: one ``SELECT`` of the products (or of the cart's lines with their
products), no transaction, no lock, nothing written. A preview is a snapshot: the stock may go
before the order is placed, and placing it checks again (``orders.services.place_order``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from cart.models import CartLine
from catalog.models import Product
from orders.services import LineRequest

if TYPE_CHECKING:
    from accounts.models import User


@dataclass(frozen=True)
class PreviewLine:
    product_id: int
    product_name: str
    unit_price: Decimal
    #: What was asked for.
    requested: int
    #: What the order would hold: ``requested``, or with ``accept_available`` what is left.
    quantity: int
    #: The stock left now; 0 for a product no longer for sale.
    available: int

    @property
    def short(self) -> bool:
        return self.available < self.requested

    @property
    def line_total(self) -> Decimal:
        return self.unit_price * self.quantity


@dataclass(frozen=True)
class OrderPreview:
    lines: tuple[PreviewLine, ...]
    accept_available: bool

    @property
    def total(self) -> Decimal:
        return sum((line.line_total for line in self.lines), Decimal("0.00"))

    @property
    def can_be_placed(self) -> bool:
        """Whether placing these quantities now would succeed (as far as a snapshot can say):
        every line covered, or with ``accept_available`` at least one unit of something."""
        if self.accept_available:
            return any(line.quantity for line in self.lines)
        return not any(line.short for line in self.lines)


def preview_order(*, lines: Sequence[LineRequest], accept_available: bool = False) -> OrderPreview:
    """Preview an order of ``lines`` (each product once, as validated for an order)."""
    products = Product.objects.in_bulk([line.product_id for line in lines])
    return OrderPreview(
        tuple(
            _line(products[line.product_id], line.quantity, accept_available=accept_available)
            for line in lines
        ),
        accept_available,
    )


def preview_cart(*, customer: User, accept_available: bool = False) -> OrderPreview:
    """Preview an order of the customer's cart, lines in the cart's order."""
    return OrderPreview(
        tuple(
            _line(line.product, line.quantity, accept_available=accept_available)
            for line in CartLine.objects.of(customer)
        ),
        accept_available,
    )


def _line(product: Product, requested: int, *, accept_available: bool) -> PreviewLine:
    available = product.stock if product.is_active else 0
    return PreviewLine(
        product_id=product.pk,
        product_name=product.name,
        unit_price=product.price,
        requested=requested,
        quantity=min(requested, available) if accept_available else requested,
        available=available,
    )
