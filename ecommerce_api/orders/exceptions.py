"""What can go wrong when placing or cancelling an order, in the domain's words (no HTTP here)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class Shortage:
    """A line that asks for more than the shop has: how many were asked for, how many remain."""

    product_id: int
    requested: int
    available: int


class InsufficientStock(Exception):
    def __init__(self, shortages: Iterable[Shortage]) -> None:
        self.shortages = tuple(shortages)
        super().__init__(f"Not enough stock for {len(self.shortages)} line(s).")


class IdempotencyKeyReused(Exception):
    """The key already placed an order for a different request body."""


class OrderNotCancellable(Exception):
    """The order can no longer be cancelled: it was cancelled already, or it has shipped."""


class InvalidTransition(Exception):
    """The order cannot move from its current status to the one asked for
    (``orders.models.TRANSITIONS``); nothing was changed."""

    def __init__(self, order_id: int, current: str, target: str) -> None:
        self.order_id, self.current, self.target = order_id, current, target
        super().__init__(f"Order #{order_id} cannot go from {current} to {target}.")
