"""Many buyers, one last few units, all at the same moment: the shop never oversells.

Each thread has its own database connection (Django's connections are per thread), so the race
is real: the conditional UPDATE, not the test, decides. On SQLite (a file-backed test database)
IMMEDIATE transactions queue the writers; on PostgreSQL (``DATABASE_URL``, as CI runs it a
second time) the transactions really run in parallel, each in its own server session, and row
locks decide. There a wrong lock order would also show up as a "deadlock detected" error.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any, TypeVar

import pytest
from django.db import connection, connections
from django.urls import reverse
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient
from shared.factories import UserFactory

from catalog.models import Product
from orders.exceptions import InsufficientStock
from orders.models import Order, OrderLine
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


def _buy(customer, lines: list[LineRequest]) -> PlacedOrder | InsufficientStock:
    try:
        return place_order(customer=customer, lines=lines)
    except InsufficientStock as exc:
        return exc


def test_racing_orders_for_the_last_units_sell_exactly_the_units():
    product = ProductFactory(stock=UNITS)
    buyers = UserFactory.create_batch(BUYERS)

    results = _all_at_once(BUYERS, lambda i: _buy(buyers[i], [LineRequest(product.pk, 1)]))

    placed = [result for result in results if isinstance(result, PlacedOrder)]
    refused = [result for result in results if isinstance(result, InsufficientStock)]
    assert len(placed) == UNITS, results
    assert len(refused) == BUYERS - UNITS, results
    assert all(exc.shortages[0].available == 0 for exc in refused)
    assert Product.objects.get(pk=product.pk).stock == 0
    assert Order.objects.count() == UNITS


def test_racing_orders_for_several_products_listed_in_different_orders_never_deadlock():
    """Every buyer wants one of each of four products, each listing them in its own order
    (rotated, half of them reversed). Taken in request order, two buyers holding each other's
    next row would deadlock on PostgreSQL; taken in product-id order, they queue."""
    products = ProductFactory.create_batch(4, stock=UNITS)
    buyers = UserFactory.create_batch(BUYERS)

    def wants(index: int) -> list[LineRequest]:
        rotated = products[index % 4 :] + products[: index % 4]
        listed = rotated[::-1] if index % 2 else rotated
        return [LineRequest(product.pk, 1) for product in listed]

    results = _all_at_once(BUYERS, lambda i: _buy(buyers[i], wants(i)))

    placed = [result for result in results if isinstance(result, PlacedOrder)]
    refused = [result for result in results if isinstance(result, InsufficientStock)]
    assert len(placed) == UNITS, results  # all or nothing: no other error, no partial order
    assert len(refused) == BUYERS - UNITS, results
    assert (
        list(Product.objects.filter(pk__in=[p.pk for p in products]).values_list("stock"))
        == [(0,)] * 4
    )
    assert OrderLine.objects.count() == UNITS * 4
    assert Order.objects.count() == UNITS


def test_racing_api_requests_for_the_last_units_get_201s_and_stock_errors_only(settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"order_placement": "1000/minute", "auth_token": "1000/minute"},
    }
    product = ProductFactory(stock=UNITS)
    keys = [Token.objects.create(user=UserFactory()).key for _ in range(BUYERS)]
    body = {"items": [{"product": product.pk, "quantity": 1}]}

    def buy(index: int) -> tuple[int, dict[str, Any]]:
        client = APIClient()  # raises instead of answering 500, so a server error fails the test
        client.credentials(HTTP_AUTHORIZATION=f"Token {keys[index]}")
        response = client.post(reverse("order-list"), body, format="json")
        return response.status_code, response.json()

    results = _all_at_once(BUYERS, buy)

    answers = [result for result in results if isinstance(result, tuple)]
    assert len(answers) == BUYERS, results
    assert [status for status, _ in answers].count(201) == UNITS, results
    # 400 when validation already saw the stock gone, 409 when it went during the save.
    refusals = [(status, answer) for status, answer in answers if status != 201]
    assert {status for status, _ in refusals} <= {400, 409}, results
    assert all(
        answer["code"] == "insufficient_stock"
        and answer["shortages"] == [{"product": product.pk, "requested": 1, "available": 0}]
        for _, answer in refusals
    ), results
    assert Product.objects.get(pk=product.pk).stock == 0
    assert Order.objects.count() == UNITS


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL only (DATABASE_URL)")
def test_on_postgresql_the_buyers_hold_parallel_server_sessions():
    all_connected = threading.Barrier(BUYERS)

    def backend_pid(index: int) -> int:
        with connections["default"].cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid()")
            (pid,) = cursor.fetchone()
        all_connected.wait(timeout=10)  # every session is open at this moment
        return int(pid)

    pids = _all_at_once(BUYERS, backend_pid)

    assert all(isinstance(pid, int) for pid in pids), pids
    assert len(set(pids)) == BUYERS
