"""The alerts' side of ``catalog.signals.stock_replenished``: a thin call into the service."""

from __future__ import annotations

from typing import Any

from alerts.services import notify_back_in_stock


def notify_subscribers(*, product_ids: list[int], **kwargs: Any) -> None:
    notify_back_in_stock(product_ids=product_ids)
