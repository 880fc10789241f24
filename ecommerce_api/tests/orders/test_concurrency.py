"""Many buyers, one last few units, all at the same moment: the shop never oversells; many
cancellations of one order at the same moment restock it once; two requests with one new
idempotency key place one order.

Each thread has its own database connection (Django's connections are per thread), so the race
is real: the conditional UPDATE, not the test, decides. On PostgreSQL (``DATABASE_URL``, as CI
runs the suite a second time) the transactions really run in parallel, each in its own server
session, and row locks decide: a read-check-write version (read the stock or the status, check
it in Python, write it back) oversells or restocks twice there, and a wrong lock order shows up
as "deadlock detected". On SQLite (the file-backed default) these tests cannot tell the two
apart: its IMMEDIATE transactions take the database's write lock at BEGIN, so the writers run
one after another and even a read-check-write version passes. They still check there that
nothing fails under contention.
"""

from __future__ import annotations

import logging
import threading
from typing import Any, TypeVar

import pytest
from django.db import connection, connections
from django.urls import reverse
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient
from shared.concurrency import all_at_once
from shared.factories import UserFactory

from catalog.models import Product
from orders import services
from orders.exceptions import InsufficientStock, OrderNotCancellable
from orders.models import Order, OrderLine
from orders.services import LineRequest, PlacedOrder, cancel_order, place_order
from tests.factories import ProductFactory

pytestmark = pytest.mark.django_db(transaction=True)

BUYERS = 8
UNITS = 3
T = TypeVar("T")


def _buy(customer, lines: list[LineRequest]) -> PlacedOrder | InsufficientStock:
    try:
        return place_order(customer=customer, lines=lines)
    except InsufficientStock as exc:
        return exc


def test_racing_orders_for_the_last_units_sell_exactly_the_units():
    """Eight buyers, three units. On PostgreSQL a read-check-write decrement sells more than
    three (checked against such a copy); on SQLite the writers queue (see the module)."""
    product = ProductFactory(stock=UNITS)
    buyers = UserFactory.create_batch(BUYERS)

    results = all_at_once(BUYERS, lambda i: _buy(buyers[i], [LineRequest(product.pk, 1)]))

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

    results = all_at_once(BUYERS, lambda i: _buy(buyers[i], wants(i)))

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

    results = all_at_once(BUYERS, buy)

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

    pids = all_at_once(BUYERS, backend_pid)

    assert all(isinstance(pid, int) for pid in pids), pids
    assert len(set(pids)) == BUYERS


def _cancel(order: Order) -> Order | OrderNotCancellable:
    try:
        return cancel_order(order=Order.objects.get(pk=order.pk))
    except OrderNotCancellable as exc:
        return exc


def test_simultaneous_cancellations_of_one_order_restock_it_once(user):
    """Eight cancellations of one order at once (a double tap, a retry, the admin's action):
    one succeeds, the others are refused, and the stock comes back once.

    The status changes by a conditional UPDATE (``WHERE status = 'placed'``) and only the
    request that changed it restocks. On PostgreSQL a check-then-act version (read the order,
    see "placed", cancel and restock) restocks several times: checked against such a copy. On
    SQLite the IMMEDIATE transactions queue, so this cannot tell the two apart (see the module).
    """
    product = ProductFactory(stock=10)
    order = place_order(customer=user, lines=[LineRequest(product.pk, 4)]).order

    results = all_at_once(BUYERS, lambda i: _cancel(order))

    cancelled = [result for result in results if isinstance(result, Order)]
    refused = [result for result in results if isinstance(result, OrderNotCancellable)]
    assert len(cancelled) == 1, results
    assert len(refused) == BUYERS - 1, results
    assert Product.objects.get(pk=product.pk).stock == 10
    assert Order.objects.get(pk=order.pk).status == Order.Status.CANCELLED


def test_simultaneous_cancel_requests_answer_200_once_and_409_otherwise(user):
    product = ProductFactory(stock=10)
    order = place_order(customer=user, lines=[LineRequest(product.pk, 4)]).order
    key = Token.objects.create(user=user).key

    def cancel(index: int) -> int:
        client = APIClient()  # raises instead of answering 500, so a server error fails the test
        client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
        return client.post(reverse("order-cancel", args=[order.pk])).status_code

    statuses = all_at_once(BUYERS, cancel)

    assert sorted(statuses, key=str) == [200] + [409] * (BUYERS - 1), statuses
    assert Product.objects.get(pk=product.pk).stock == 10


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason=(
        "PostgreSQL only: SQLite's IMMEDIATE transactions serialise writers, so the second "
        "request finds the first one's key before it inserts its own and never loses a race"
    ),
)
def test_two_requests_with_one_new_key_place_one_order_and_the_loser_answers_with_it(
    user, settings, monkeypatch, caplog
):
    """Two requests with the same new ``Idempotency-Key`` at the same moment.

    Both look the key up inside their transactions before either has inserted it (the test
    holds each at that point until the other has looked too, so the race happens every run).
    Both then insert it: PostgreSQL makes the second insert wait for the first transaction and
    fails it on the unique constraint when that commits. The loser's transaction rolls back
    (its stock with it) and it answers with the winner's order: the "lost the race" branch of
    ``place_order``, which logs that it ran.
    """
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"order_placement": "1000/minute", "auth_token": "1000/minute"},
    }
    caplog.set_level(logging.INFO, logger="orders.services")
    product = ProductFactory(stock=10)
    key = Token.objects.create(user=user).key
    both_looked = threading.Barrier(2)
    first_looks: set[int] = set()
    real_lookup = services.find_replayed_order

    def look_then_wait_for_the_other(**kwargs: Any) -> Order | None:
        found = real_lookup(**kwargs)
        if threading.get_ident() not in first_looks:  # the look inside the transaction
            first_looks.add(threading.get_ident())
            both_looked.wait(timeout=10)
        return found

    monkeypatch.setattr(services, "find_replayed_order", look_then_wait_for_the_other)

    def place(index: int) -> tuple[int, dict[str, Any], str | None]:
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
        response = client.post(
            reverse("order-list"),
            {"items": [{"product": product.pk, "quantity": 3}]},
            format="json",
            HTTP_IDEMPOTENCY_KEY="one-new-key",
        )
        return response.status_code, response.json(), response.get("Idempotent-Replayed")

    results = all_at_once(2, place)

    answers = [result for result in results if isinstance(result, tuple)]
    assert len(answers) == 2, results
    (first_status, first, first_replayed), (second_status, second, second_replayed) = answers
    assert (first_status, second_status) == (201, 201)
    assert first["id"] == second["id"]
    assert {first_replayed, second_replayed} == {"true", None}
    lost = [r for r in caplog.records if r.getMessage().startswith("Lost the race")]
    assert len(lost) == 1, caplog.records
    assert Order.objects.count() == 1
    assert Product.objects.get(pk=product.pk).stock == 7
