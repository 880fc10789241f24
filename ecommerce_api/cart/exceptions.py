"""What can go wrong when changing a cart, in the domain's words (no HTTP here)."""

from __future__ import annotations


class ProductNotForSale(Exception):
    """The product does not exist, or is inactive."""

    def __init__(self, product_id: int) -> None:
        self.product_id = product_id
        super().__init__(f"No product with id {product_id} is for sale.")


class NotInCart(Exception):
    """The cart has no line for this product."""


class CartFull(Exception):
    """The cart already holds ``config.fields.MAX_LINES`` products."""


class QuantityTooLarge(Exception):
    """The line would hold more than ``config.fields.MAX_QUANTITY`` of the product."""

    def __init__(self, quantity: int) -> None:
        self.quantity = quantity
        super().__init__(f"The line would hold {quantity}.")


class NotEnoughStock(Exception):
    """The line would hold more than the shop has in stock right now."""

    def __init__(self, product_id: int, requested: int, available: int) -> None:
        self.product_id = product_id
        self.requested = requested
        self.available = available
        super().__init__(f"Product {product_id}: {requested} requested, {available} available.")
