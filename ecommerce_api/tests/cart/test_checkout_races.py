"""Placing carts races correctly with other orders: many customers, each with the last units
in their cart, place at the same moment while others order the same product by items.

Each thread has its own database connection, so on PostgreSQL (``DATABASE_URL``; CI runs the
suite there too) the transactions really run in parallel and only the conditional stock
updates keep the count right; a cart emptied outside the order's transaction, or a
read-check-write decrement, fails here. On SQLite the writers queue (IMMEDIATE transactions):
the test then checks that nothing fails under contention.
"""

from __future__ import annotations

from typing import TypeVar

import pytest
from shared.concurrency import all_at_once
from shared.factories import UserFactory

from cart.models import CartLine
from cart.services import add_to_cart
from catalog.models import Product
from orders.checkout import CartEmpty, place_cart
from orders.exceptions import InsufficientStock
from orders.models import Order
from orders.services import LineRequest, PlacedOrder, place_order
from tests.factories import ProductFactory

pytestmark = pytest.mark.django_db(transaction=True)

CART_BUYERS = 6
ITEM_BUYERS = 4
UNITS = 3
T = TypeVar("T")


def test_carts_and_orders_racing_for_the_last_units_sell_exactly_the_units():
    product = ProductFactory(stock=UNITS)
    cart_buyers = UserFactory.create_batch(CART_BUYERS)
    item_buyers = UserFactory.create_batch(ITEM_BUYERS)
    for buyer in cart_buyers:
        add_to_cart(customer=buyer, product_id=product.pk, quantity=1)

    def buy(index: int) -> PlacedOrder | InsufficientStock:
        try:
            if index < CART_BUYERS:
                return place_cart(customer=cart_buyers[index])
            buyer = item_buyers[index - CART_BUYERS]
            return place_order(customer=buyer, lines=[LineRequest(product.pk, 1)])
        except InsufficientStock as exc:
            return exc

    results = all_at_once(CART_BUYERS + ITEM_BUYERS, buy)

    placed = [result for result in results if isinstance(result, PlacedOrder)]
    refused = [result for result in results if isinstance(result, InsufficientStock)]
    assert len(placed) == UNITS, results
    assert len(refused) == CART_BUYERS + ITEM_BUYERS - UNITS, results
    assert Product.objects.get(pk=product.pk).stock == 0
    assert Order.objects.count() == UNITS
    # A cart is emptied exactly when its order was placed; the others keep their line.
    customers_served = set(Order.objects.values_list("customer", flat=True))
    for buyer in cart_buyers:
        assert CartLine.objects.filter(cart__customer=buyer).exists() == (
            buyer.pk not in customers_served
        )


def test_one_cart_placed_twice_at_once_makes_one_order():
    product = ProductFactory(stock=10)
    buyer = UserFactory()
    add_to_cart(customer=buyer, product_id=product.pk, quantity=2)

    def place(index: int) -> PlacedOrder | CartEmpty:
        try:
            return place_cart(customer=buyer)
        except CartEmpty as exc:
            return exc

    results = all_at_once(2, place)

    assert sum(isinstance(result, PlacedOrder) for result in results) == 1, results
    assert sum(isinstance(result, CartEmpty) for result in results) == 1, results
    assert Product.objects.get(pk=product.pk).stock == 8
    assert not CartLine.objects.exists()
