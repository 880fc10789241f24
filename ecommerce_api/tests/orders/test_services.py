import logging
from decimal import Decimal

import pytest
from django.db import IntegrityError, connection
from django.test.utils import CaptureQueriesContext

from catalog.models import Product
from orders.exceptions import IdempotencyKeyReused, InsufficientStock, OrderNotCancellable, Shortage
from orders.models import IdempotencyRecord, Order, OrderLine
from orders.services import (
    IdempotencyClaim,
    LineRequest,
    cancel_order,
    find_replayed_order,
    place_order,
)
from tests.factories import ProductFactory

pytestmark = pytest.mark.django_db


def _stock(product: Product) -> int:
    product.refresh_from_db(fields=["stock"])
    return product.stock


def test_placing_an_order_takes_the_stock_and_prices_it_on_the_server(user):
    kettle = ProductFactory(price=Decimal("24.50"), stock=5)
    mug = ProductFactory(price=Decimal("7.25"), stock=10)

    placed = place_order(customer=user, lines=[LineRequest(kettle.pk, 2), LineRequest(mug.pk, 3)])

    order = placed.order
    assert not placed.replayed
    assert order.customer == user
    assert order.status == Order.Status.PLACED
    assert order.total == Decimal("70.75")
    assert _stock(kettle) == 3
    assert _stock(mug) == 7
    lines = list(order.lines.values_list("product_id", "quantity", "unit_price", "product_name"))
    assert lines == [
        (kettle.pk, 2, Decimal("24.50"), kettle.name),
        (mug.pk, 3, Decimal("7.25"), mug.name),
    ]


def test_an_order_may_take_the_last_unit(user):
    product = ProductFactory(stock=2)

    place_order(customer=user, lines=[LineRequest(product.pk, 2)])

    assert _stock(product) == 0


def test_a_short_line_saves_nothing_and_restores_every_other_line(user):
    plenty = ProductFactory(stock=10)
    scarce = ProductFactory(stock=1)

    with pytest.raises(InsufficientStock) as raised:
        place_order(customer=user, lines=[LineRequest(plenty.pk, 4), LineRequest(scarce.pk, 2)])

    assert raised.value.shortages == (Shortage(scarce.pk, 2, 1),)
    assert _stock(plenty) == 10
    assert _stock(scarce) == 1
    assert not Order.objects.exists()
    assert not OrderLine.objects.exists()


def test_every_short_line_is_reported(user):
    first = ProductFactory(stock=0)
    second = ProductFactory(stock=3)

    with pytest.raises(InsufficientStock) as raised:
        place_order(customer=user, lines=[LineRequest(second.pk, 5), LineRequest(first.pk, 1)])

    assert raised.value.shortages == (Shortage(first.pk, 1, 0), Shortage(second.pk, 5, 3))


def test_stock_that_ran_out_after_validation_is_refused_by_the_update_itself(user):
    """The serializer saw enough stock; by the time the order is placed, someone took it."""
    product = ProductFactory(stock=3)
    Product.objects.filter(pk=product.pk).update(stock=1)  # another order, meanwhile

    with pytest.raises(InsufficientStock) as raised:
        place_order(customer=user, lines=[LineRequest(product.pk, 3)])

    assert raised.value.shortages == (Shortage(product.pk, 3, 1),)
    assert _stock(product) == 1


def test_a_product_deactivated_after_validation_is_not_sold(user):
    product = ProductFactory(stock=5, is_active=False)

    with pytest.raises(InsufficientStock) as raised:
        place_order(customer=user, lines=[LineRequest(product.pk, 1)])

    assert raised.value.shortages == (Shortage(product.pk, 1, 0),)
    assert _stock(product) == 5


def test_each_decrement_is_one_conditional_update_and_stock_is_never_read_first(user):
    product = ProductFactory(stock=5)

    with CaptureQueriesContext(connection) as queries:
        place_order(customer=user, lines=[LineRequest(product.pk, 2)])

    statements = [query["sql"] for query in queries.captured_queries]
    updates = [sql for sql in statements if sql.startswith('UPDATE "catalog_product"')]
    assert len(updates) == 1
    assert '"catalog_product"."stock" >= 2' in updates[0]
    reads_before_update = statements[: statements.index(updates[0])]
    assert not any('FROM "catalog_product"' in sql for sql in reads_before_update)


def test_lines_are_taken_in_product_id_order(user):
    low, high = ProductFactory(), ProductFactory()

    with CaptureQueriesContext(connection) as queries:
        place_order(customer=user, lines=[LineRequest(high.pk, 1), LineRequest(low.pk, 1)])

    updates = [q["sql"] for q in queries.captured_queries if q["sql"].startswith("UPDATE")]
    assert f'"id" = {low.pk}' in updates[0]
    assert f'"id" = {high.pk}' in updates[1]


@pytest.mark.parametrize(
    "lines",
    [[], [LineRequest(1, 1), LineRequest(1, 2)]],
    ids=["no lines", "a product twice"],
)
def test_place_order_refuses_lines_the_serializer_would_have_refused(user, lines):
    with pytest.raises(ValueError, match="at least one line"):
        place_order(customer=user, lines=lines)


def test_a_claimed_key_replays_the_order_without_taking_stock_again(user):
    product = ProductFactory(stock=5)
    claim = IdempotencyClaim("key-1", "hash-a")
    first = place_order(customer=user, lines=[LineRequest(product.pk, 2)], idempotency=claim)

    again = place_order(customer=user, lines=[LineRequest(product.pk, 2)], idempotency=claim)

    assert again.replayed
    assert again.order == first.order
    assert _stock(product) == 3
    assert Order.objects.count() == 1


def test_a_claimed_key_with_another_body_is_refused(user):
    product = ProductFactory(stock=5)
    place_order(
        customer=user,
        lines=[LineRequest(product.pk, 1)],
        idempotency=IdempotencyClaim("key-1", "hash-a"),
    )

    with pytest.raises(IdempotencyKeyReused):
        place_order(
            customer=user,
            lines=[LineRequest(product.pk, 2)],
            idempotency=IdempotencyClaim("key-1", "hash-b"),
        )
    assert _stock(product) == 4


def test_idempotency_keys_belong_to_one_customer(user, other_user):
    product = ProductFactory(stock=5)
    claim = IdempotencyClaim("same-key", "hash-a")
    mine = place_order(customer=user, lines=[LineRequest(product.pk, 1)], idempotency=claim)

    theirs = place_order(customer=other_user, lines=[LineRequest(product.pk, 1)], idempotency=claim)

    assert not theirs.replayed
    assert theirs.order != mine.order
    assert _stock(product) == 3


def test_a_failed_order_does_not_use_up_its_key(user):
    product = ProductFactory(stock=1)
    claim = IdempotencyClaim("key-1", "hash-a")
    with pytest.raises(InsufficientStock):
        place_order(customer=user, lines=[LineRequest(product.pk, 2)], idempotency=claim)

    assert find_replayed_order(customer=user, claim=claim) is None
    assert not IdempotencyRecord.objects.exists()


def test_losing_a_race_for_a_key_answers_with_the_winners_order(user, monkeypatch, caplog):
    """Another request with the same key committed between our lookup and our insert: the
    insert fails on the unique constraint, and the "lost the race" branch answers.

    (The real race, two threads on PostgreSQL, is in test_concurrency.py; on SQLite the second
    request's lookup always comes after the first one's commit.)
    """
    caplog.set_level(logging.INFO, logger="orders.services")
    product = ProductFactory(stock=5)
    claim = IdempotencyClaim("key-1", "hash-a")
    winner = place_order(customer=user, lines=[LineRequest(product.pk, 1)], idempotency=claim)
    lookups: list[IdempotencyClaim] = []

    def first_look_misses(*, customer, claim):
        lookups.append(claim)  # the first look, inside the transaction, is made "mid-race"
        return None if len(lookups) == 1 else find_replayed_order(customer=customer, claim=claim)

    monkeypatch.setattr("orders.services.find_replayed_order", first_look_misses)

    loser = place_order(customer=user, lines=[LineRequest(product.pk, 1)], idempotency=claim)

    assert loser.replayed
    assert loser.order == winner.order
    assert len(lookups) == 2  # the second one is the branch's
    assert [r.getMessage() for r in caplog.records] == [
        f"Lost the race for idempotency key 'key-1' of user {user.pk}; "
        f"answering with order {winner.order.pk}."
    ]
    assert _stock(product) == 4
    assert Order.objects.count() == 1


def test_an_integrity_error_without_a_key_is_not_swallowed(user, monkeypatch):
    product = ProductFactory(stock=5)

    def fail(*args, **kwargs):
        raise IntegrityError("simulated")

    monkeypatch.setattr("orders.services.OrderLine.objects.bulk_create", fail)

    with pytest.raises(IntegrityError):
        place_order(customer=user, lines=[LineRequest(product.pk, 1)])
    assert _stock(product) == 5


def test_cancelling_restores_the_stock(user):
    product = ProductFactory(stock=5)
    order = place_order(customer=user, lines=[LineRequest(product.pk, 3)]).order

    cancelled = cancel_order(order=order)

    assert cancelled.status == Order.Status.CANCELLED
    assert cancelled.cancelled_at is not None
    assert _stock(product) == 5


def test_cancelling_twice_restores_the_stock_once(user):
    product = ProductFactory(stock=5)
    order = place_order(customer=user, lines=[LineRequest(product.pk, 3)]).order
    stale_copy = Order.objects.get(pk=order.pk)  # what a second, simultaneous request holds
    cancel_order(order=order)

    with pytest.raises(OrderNotCancellable):
        cancel_order(order=stale_copy)
    assert _stock(product) == 5


def test_cancelling_restocks_a_product_deactivated_since(user):
    product = ProductFactory(stock=5)
    order = place_order(customer=user, lines=[LineRequest(product.pk, 2)]).order
    Product.objects.filter(pk=product.pk).update(is_active=False)

    cancel_order(order=order)

    assert _stock(product) == 5


def test_an_integrity_error_with_an_unclaimed_key_is_not_swallowed(user, monkeypatch):
    product = ProductFactory(stock=5)

    def fail(*args, **kwargs):
        raise IntegrityError("simulated")

    monkeypatch.setattr("orders.services.OrderLine.objects.bulk_create", fail)

    with pytest.raises(IntegrityError):
        place_order(
            customer=user,
            lines=[LineRequest(product.pk, 1)],
            idempotency=IdempotencyClaim("key-1", "hash-a"),
        )
    assert not IdempotencyRecord.objects.exists()
