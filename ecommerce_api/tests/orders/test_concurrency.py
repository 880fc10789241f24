"""Many buyers, one last few units, all at the same moment: the shop never oversells.

Each thread has its own database connection (Django's connections are per thread) to the
file-backed test database, so the race is real: the conditional UPDATE, not the test, decides.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import TypeVar

import pytest
from django.db import connections
from django.urls import reverse
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient
from shared.factories import UserFactory

from catalog.models import Product
from orders.exceptions import InsufficientStock
from orders.models import Order
from orders.services import LineRequest, PlacedOrder, place_order
from tests.factories import ProductFactory

pytestmark = pytest.mark.django_db(transaction=True)

BUYERS = 8
UNITS = 3
T = TypeVar("T")


def _all_at_once(count: int, work: Callable[[int], T]) -> list[T | BaseException]:
    """Run ``work(i)`` in ``count`` threads released together; return results or exceptions."""
    barrier = threading.Barrier(count)
    results: list[T | BaseException] = [RuntimeError("did not finish")] * count

    def run(index: int) -> None:
        try:
            barrier.wait(timeout=10)
            results[index] = work(index)
        except BaseException as exc:
            results[index] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(index,)) for index in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


def test_racing_orders_for_the_last_units_sell_exactly_the_units():
    product = ProductFactory(stock=UNITS)
    buyers = UserFactory.create_batch(BUYERS)

    def buy(index: int) -> PlacedOrder | InsufficientStock:
        try:
            return place_order(customer=buyers[index], lines=[LineRequest(product.pk, 1)])
        except InsufficientStock as exc:
            return exc

    results = _all_at_once(BUYERS, buy)

    placed = [result for result in results if isinstance(result, PlacedOrder)]
    refused = [result for result in results if isinstance(result, InsufficientStock)]
    assert len(placed) == UNITS, results
    assert len(refused) == BUYERS - UNITS, results
    assert all(exc.shortages[0].available == 0 for exc in refused)
    assert Product.objects.get(pk=product.pk).stock == 0
    assert Order.objects.count() == UNITS


def test_racing_api_requests_for_the_last_units_get_201s_and_409s_only(settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"order_placement": "1000/minute", "auth_token": "1000/minute"},
    }
    product = ProductFactory(stock=UNITS)
    keys = [Token.objects.create(user=UserFactory()).key for _ in range(BUYERS)]
    body = {"items": [{"product": product.pk, "quantity": 1}]}

    def buy(index: int) -> tuple[int, dict]:
        client = APIClient()  # raises instead of answering 500, so a server error fails the test
        client.credentials(HTTP_AUTHORIZATION=f"Token {keys[index]}")
        response = client.post(reverse("order-list"), body, format="json")
        return response.status_code, response.json()

    results = _all_at_once(BUYERS, buy)

    statuses = sorted(result[0] for result in results if isinstance(result, tuple))
    assert statuses == [201] * UNITS + [409] * (BUYERS - UNITS), results
    refusals = [answer for status, answer in results if status == 409]
    assert all(answer["code"] == "insufficient_stock" for answer in refusals)
    assert all(
        answer["shortages"] == [{"product": product.pk, "requested": 1, "available": 0}]
        for answer in refusals
    )
    assert Product.objects.get(pk=product.pk).stock == 0
    assert Order.objects.count() == UNITS
