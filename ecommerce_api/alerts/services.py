"""Subscribing to a back-in-stock alert, and sending each subscriber one e-mail when it fires.

Firing is exactly once per subscription, even when two restocks of one product commit at the
same moment: each subscription is ended by its own ``DELETE`` of its row, and only the
transaction whose ``DELETE`` removed it queues the e-mail (on PostgreSQL the other waits for the
row lock, then deletes nothing). The outbox's unique event key, ``stock-alert-<id>``, is the
last line of defence. The e-mail is queued in the transaction that raised the stock, so a
rolled-back restock sends nothing and keeps the subscription.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.db import IntegrityError, transaction

from alerts.exceptions import NoEmailAddress, ProductInStock
from alerts.models import StockAlert
from catalog.models import Product
from notifications.services import one_line, queue_email

if TYPE_CHECKING:
    from accounts.models import User


def subscribe(*, user: User, product: Product) -> tuple[StockAlert, bool]:
    """The user's alert for ``product``, and whether it was created just now.

    Idempotent: a second call returns the existing alert (``created`` False), also when two
    calls race (the unique constraint decides). Raises ``ProductInStock`` for a product that can
    be ordered now, ``NoEmailAddress`` when the account has nowhere to send the alert.
    """
    if product.stock > 0:
        raise ProductInStock
    if not user.email:
        raise NoEmailAddress
    existing = StockAlert.objects.filter(user=user, product=product).first()
    if existing is not None:
        return existing, False
    try:
        with transaction.atomic():
            return StockAlert.objects.create(user=user, product=product), True
    except IntegrityError:
        return StockAlert.objects.get(user=user, product=product), False


def notify_back_in_stock(*, product_ids: Iterable[int]) -> int:
    """End every alert for those of ``product_ids`` that are on sale and in stock now, and queue
    one e-mail per alert; return how many were queued. Call it inside the transaction that
    raised the stock (``catalog.signals.stock_replenished`` does)."""
    queued = 0
    for alert in _due_alerts(product_ids):
        deleted, _ = StockAlert.objects.filter(pk=alert.pk).delete()
        if not deleted:
            continue  # another restock's transaction ended it and sends its e-mail
        if alert.user.email and alert.user.is_active:
            _queue_alert_email(alert)
            queued += 1
    return queued


def _due_alerts(product_ids: Iterable[int]) -> list[StockAlert]:
    """The live alerts of the given products that are on sale with stock, oldest first."""
    return list(
        StockAlert.objects.filter(
            product_id__in=list(product_ids), product__is_active=True, product__stock__gt=0
        )
        .select_related("user", "product")
        .order_by("created_at", "id")
    )


def _queue_alert_email(alert: StockAlert) -> None:
    product = alert.product
    queue_email(
        event_key=f"stock-alert-{alert.pk}",
        to=alert.user.email,
        subject=one_line(f"Back in stock: {product.name}"),
        body=(
            f"Hello {alert.user.get_username()},\n\n"
            f"{product.name} is back in stock ({product.price} each), as you asked us to tell "
            "you. Stock is limited and is not reserved for you.\n\n"
            "This alert has now ended; subscribe again in the app if it sells out before you "
            "order.\n"
        ),
    )
