"""A customer's cart: products and quantities kept on the server, so every device sees one cart.

A cart reserves nothing: stock is only ever taken when an order is placed
(``orders.services``). The quantities obey the order's rules (``config.fields``) when they are
added, and are checked again when the cart is placed, since the stock may have gone since.
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.db.models import Q

from catalog.models import Product
from config.fields import MAX_QUANTITY

if TYPE_CHECKING:
    from accounts.models import User


class CartQuerySet(models.QuerySet["Cart"]):
    def locked_for(self, customer: User) -> Cart:
        """The customer's cart, created if missing, its row locked until the transaction ends.

        Every change to a cart takes this lock first, so two devices changing one cart at the
        same moment (or a change racing the cart being placed) run one after the other on
        PostgreSQL; SQLite's IMMEDIATE transactions already do. ``ignore_conflicts`` makes the
        creation safe when two first additions race on the one-cart-per-customer constraint.
        Call it inside ``transaction.atomic``.
        """
        self.bulk_create([Cart(customer=customer)], ignore_conflicts=True)
        return self.select_for_update().get(customer=customer)


class Cart(models.Model):
    customer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = CartQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["customer"],
                name="cart_cart_one_per_customer",
                violation_error_message="A customer has one cart.",
            ),
        ]

    def __str__(self) -> str:
        return f"Cart of {self.customer}"


class CartLineQuerySet(models.QuerySet["CartLine"]):
    def of(self, customer: User) -> CartLineQuerySet:
        """The lines of the customer's cart, with their products, oldest first: one query,
        whatever the number of lines (a cart holds at most ``config.fields.MAX_LINES``)."""
        return (
            self.filter(cart__customer=customer)
            .select_related("product")
            .order_by("created_at", "id")
        )


class CartLine(models.Model):
    cart = models.ForeignKey(Cart, on_delete=models.CASCADE, related_name="lines")
    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="+")
    quantity = models.PositiveIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)

    objects = CartLineQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["cart", "product"],
                name="cart_cartline_unique_product",
                violation_error_message="A cart lists each product once.",
            ),
            models.CheckConstraint(
                condition=Q(quantity__gte=1, quantity__lte=MAX_QUANTITY),
                name="cart_cartline_quantity_in_bounds",
                violation_error_message=f"The quantity must be from 1 to {MAX_QUANTITY}.",
            ),
        ]
        indexes = [
            # The cart's lines in the order they were added (CartLineQuerySet.of).
            models.Index(fields=["cart", "created_at", "id"], name="cartline_cart_added_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.quantity} x {self.product}"

    @property
    def line_total(self) -> Decimal:
        """At today's price: a cart keeps no price of its own."""
        return self.product.price * self.quantity

    @property
    def available(self) -> int:
        """What the shop could sell of this line's product now: 0 once it is no longer for sale."""
        return self.product.stock if self.product.is_active else 0
