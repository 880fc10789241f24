"""Placing and cancelling orders: with ``orders.lifecycle`` (which a cancellation goes through
to restock), the only code that changes a product's stock.

Stock is never read and then written back. Each line is one conditional UPDATE
(``... SET stock = stock - q WHERE id = p AND stock >= q``) whose row count says whether it
succeeded. That is atomic on every database, needs no ``SELECT ... FOR UPDATE`` (a no-op on
SQLite), and cannot oversell however many requests race for the last unit.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from django.db import IntegrityError, transaction
from django.db.models import F

from catalog.models import Product
from orders import lifecycle
from orders.exceptions import (
    IdempotencyKeyReused,
    InsufficientStock,
    InvalidTransition,
    OrderNotCancellable,
    Shortage,
)
from orders.models import IdempotencyRecord, Order, OrderLine, replay_window_start

if TYPE_CHECKING:
    from accounts.models import User

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class LineRequest:
    product_id: int
    quantity: int


@dataclass(frozen=True)
class IdempotencyClaim:
    key: str
    request_hash: str


@dataclass(frozen=True)
class PlacedOrder:
    order: Order
    replayed: bool = False


def find_replayed_order(*, customer: User, claim: IdempotencyClaim) -> Order | None:
    """The order this key placed for this customer within the replay window, or ``None`` if
    the key is new (or its window has passed: ``settings.IDEMPOTENCY_REPLAY_WINDOW``).

    Raises ``IdempotencyKeyReused`` when the key placed an order for a different body.
    """
    record = (
        IdempotencyRecord.objects.live()
        .select_related("order")
        .filter(user=customer, key=claim.key)
        .first()
    )
    if record is None:
        return None
    if record.request_hash != claim.request_hash:
        raise IdempotencyKeyReused(claim.key)
    return record.order


def place_order(
    *,
    customer: User,
    lines: Sequence[LineRequest],
    idempotency: IdempotencyClaim | None = None,
) -> PlacedOrder:
    """Place an order for ``lines`` at today's prices, all or nothing.

    Raises ``InsufficientStock`` listing every short line (nothing is saved then), or
    ``IdempotencyKeyReused``. With a claim already used for the same body, the original order
    is returned and no stock moves, even when two such requests race.
    """
    product_ids = [line.product_id for line in lines]
    if not lines or len(set(product_ids)) != len(product_ids):
        raise ValueError("An order needs at least one line and lists each product once.")
    try:
        with transaction.atomic():
            if idempotency and (order := find_replayed_order(customer=customer, claim=idempotency)):
                return PlacedOrder(order, replayed=True)
            return PlacedOrder(_create_order(customer, lines, idempotency))
    except IntegrityError:
        # Two requests with the same key raced and this one lost the unique constraint on
        # (user, key): its whole transaction rolled back, so the winner's order is the answer.
        if idempotency and (order := find_replayed_order(customer=customer, claim=idempotency)):
            logger.info(
                "Lost the race for idempotency key %r of user %s; answering with order %s.",
                idempotency.key,
                customer.pk,
                order.pk,
            )
            return PlacedOrder(order, replayed=True)
        raise


def _create_order(
    customer: User, lines: Sequence[LineRequest], idempotency: IdempotencyClaim | None
) -> Order:
    order = Order.objects.create(customer=customer)
    if idempotency:
        # A record of this key past its replay window is gone as far as the lookup is
        # concerned; it is deleted here, in this transaction, so the insert below does not trip
        # over it on the unique constraint (user, key).
        IdempotencyRecord.objects.expired().filter(user=customer, key=idempotency.key).delete()
        # Claimed first: a concurrent request with the same key blocks (or fails) here,
        # before it touches any stock.
        IdempotencyRecord.objects.create(
            user=customer, key=idempotency.key, request_hash=idempotency.request_hash, order=order
        )
    # Product-id order, so two orders never wait on each other's rows in opposite orders.
    ordered = sorted(lines, key=lambda line: line.product_id)
    shortages = [
        Shortage(line.product_id, line.quantity, _available(line.product_id))
        for line in ordered
        if not _take_stock(line.product_id, line.quantity)
    ]
    if shortages:
        raise InsufficientStock(shortages)  # rolls back the order and every decrement above

    # Read after the decrements: on PostgreSQL the rows are now locked by this transaction,
    # so the prices are the ones in force when the stock was taken.
    products = Product.objects.in_bulk([line.product_id for line in ordered])
    order_lines = OrderLine.objects.bulk_create(
        OrderLine(
            order=order,
            product=products[line.product_id],
            product_name=products[line.product_id].name,
            quantity=line.quantity,
            unit_price=products[line.product_id].price,
        )
        for line in ordered
    )
    order.total = sum((line.line_total for line in order_lines), Decimal("0.00"))
    order.save(update_fields=["total"])
    lifecycle.record_placed(order=order, customer=customer)
    return order


def _take_stock(product_id: int, quantity: int) -> bool:
    """Decrement the stock if, and only if, enough remains; one atomic UPDATE."""
    taken = (
        Product.objects.active()
        .filter(pk=product_id, stock__gte=quantity)
        .update(stock=F("stock") - quantity)
    )
    return taken == 1


def _available(product_id: int) -> int:
    stock = Product.objects.active().filter(pk=product_id).values_list("stock", flat=True).first()
    return stock or 0


def cancel_order(*, order: Order, actor: User | None = None) -> Order:
    """Cancel ``order`` (placed or paid) and put its stock back, exactly once.

    ``actor`` is who cancels: the customer unless said otherwise (staff in the admin). The step
    goes through ``orders.lifecycle``, whose conditional UPDATE lets only one of two
    simultaneous cancellations restore the stock; the other, and a cancellation after shipping,
    raises ``OrderNotCancellable``.
    """
    try:
        return lifecycle.change_status(
            order=order, to=Order.Status.CANCELLED, actor=actor or order.customer
        )
    except InvalidTransition as exc:
        raise OrderNotCancellable(order.pk) from exc


#: Records deleted per statement by :func:`purge_idempotency_records`.
PURGE_BATCH_SIZE = 1000


def purge_idempotency_records(*, batch_size: int = PURGE_BATCH_SIZE) -> int:
    """Delete the idempotency records past their replay window; return how many went.

    A record past the window no longer replays anything (``find_replayed_order`` ignores it),
    so deleting it changes no answer; it only keeps the table as small as a day of orders.
    The work is done ``batch_size`` rows per ``DELETE``, each committed on its own, so no
    statement holds its locks for long however much has piled up, and orders keep being placed
    meanwhile. The cut-off is fixed when the purge starts, so it ends even while more records
    expire. Safe to run at any time, on any number of workers at once.
    """
    if batch_size < 1:
        raise ValueError("batch_size must be at least 1.")
    expired = IdempotencyRecord.objects.filter(created_at__lt=replay_window_start())
    deleted = 0
    while batch := list(expired.order_by("created_at").values_list("pk", flat=True)[:batch_size]):
        count, _ = expired.filter(pk__in=batch).delete()
        deleted += count
        if len(batch) < batch_size:
            break
    return deleted
