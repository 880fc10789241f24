"""Changing a cart: the only code that writes cart lines.

Each change runs in one transaction holding the cart's row lock (``Cart.objects.locked_for``),
and checks the line against the order's rules as they stand at that moment: the product is for
sale, the quantity is at most ``MAX_QUANTITY``, and the stock covers it. Nothing here touches the
stock: a cart reserves nothing, and the order that places it checks the stock again.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import transaction

from cart.exceptions import CartFull, NotEnoughStock, NotInCart, ProductNotForSale, QuantityTooLarge
from cart.models import Cart, CartLine
from catalog.models import Product
from config.fields import MAX_LINES, MAX_QUANTITY

if TYPE_CHECKING:
    from accounts.models import User


def add_to_cart(*, customer: User, product_id: int, quantity: int) -> CartLine:
    """Add ``quantity`` of a product to the customer's cart (a new line, or more of one).

    Raises ``ProductNotForSale``, ``CartFull``, ``QuantityTooLarge`` (the line's new quantity
    is past ``MAX_QUANTITY``) or ``NotEnoughStock``; nothing changes then.
    """
    with transaction.atomic():
        cart = Cart.objects.locked_for(customer)
        product = _for_sale(product_id)
        line = CartLine.objects.filter(cart=cart, product=product).first()
        if line is None:
            if CartLine.objects.filter(cart=cart).count() >= MAX_LINES:
                raise CartFull
            line = CartLine(cart=cart, product=product, quantity=0)
        line.quantity = _checked(product, line.quantity + quantity)
        line.save()
        return line


def set_quantity(*, customer: User, product_id: int, quantity: int) -> CartLine:
    """Change the quantity of a product already in the cart.

    Raises ``NotInCart``, ``ProductNotForSale``, ``QuantityTooLarge`` or ``NotEnoughStock``.
    """
    with transaction.atomic():
        cart = Cart.objects.locked_for(customer)
        line = CartLine.objects.filter(cart=cart, product_id=product_id).first()
        if line is None:
            raise NotInCart(product_id)
        product = _for_sale(product_id)
        line.quantity = _checked(product, quantity)
        line.save(update_fields=["quantity"])
        return line


def remove_from_cart(*, customer: User, product_id: int) -> None:
    """Take a product out of the cart. Raises ``NotInCart``. A product no longer for sale can
    always be removed."""
    with transaction.atomic():
        cart = Cart.objects.locked_for(customer)
        deleted, _ = CartLine.objects.filter(cart=cart, product_id=product_id).delete()
        if not deleted:
            raise NotInCart(product_id)


def empty_cart(*, customer: User) -> None:
    with transaction.atomic():
        cart = Cart.objects.locked_for(customer)
        CartLine.objects.filter(cart=cart).delete()


def _for_sale(product_id: int) -> Product:
    product = Product.objects.active().filter(pk=product_id).first()
    if product is None:
        raise ProductNotForSale(product_id)
    return product


def _checked(product: Product, quantity: int) -> int:
    if quantity > MAX_QUANTITY:
        raise QuantityTooLarge(quantity)
    if quantity > product.stock:
        raise NotEnoughStock(product.pk, quantity, product.stock)
    return quantity
