"""An order's status, moved one allowed step at a time: the only code that changes it.

placed → paid → shipped → delivered, and cancelled from placed or paid (never once shipped).
Each step is one conditional UPDATE on the status the step starts from, so of two staff members
(or a customer and a staff member) acting at once, one wins and the other gets
``InvalidTransition``; the step is recorded in ``OrderEvent`` (who and when), and the customer's
e-mail is put in the outbox, all in one transaction. Cancelling also puts the stock back and
tells the subscribers of a product that came back in stock (``catalog.signals``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from catalog.models import Product
from catalog.signals import stock_replenished
from notifications.services import one_line, queue_email
from orders.exceptions import InvalidTransition
from orders.models import TRANSITIONS, Order, OrderEvent, OrderLine

if TYPE_CHECKING:
    from accounts.models import User

#: What the customer's e-mail says for each status reached.
STATUS_MESSAGES: dict[str, str] = {
    Order.Status.PLACED: "We have received your order and will let you know when it is paid.",
    Order.Status.PAID: "Your payment has been received; we are preparing your order.",
    Order.Status.SHIPPED: "Your order is on its way.",
    Order.Status.DELIVERED: "Your order has been delivered. Thank you for shopping with us.",
    Order.Status.CANCELLED: "Your order has been cancelled; nothing will be charged for it.",
}


def record_placed(*, order: Order, customer: User) -> OrderEvent:
    """The first step of ``order``'s history, and its "order received" e-mail.

    Called by ``orders.services.place_order`` inside its transaction, after the lines are saved.
    """
    event = OrderEvent.objects.create(
        order=order, from_status="", status=Order.Status.PLACED, actor=customer
    )
    _queue_status_email(order, event)
    return event


def change_status(*, order: Order, to: str, actor: User) -> Order:
    """Move ``order`` to status ``to`` as ``actor`` (staff, or the customer cancelling).

    Raises ``InvalidTransition`` (and changes nothing) when the lifecycle does not allow the
    step from the order's current status, including when another request moved the order
    first. On success ``order`` is refreshed and returned.
    """
    with transaction.atomic():
        current = Order.objects.filter(pk=order.pk).values_list("status", flat=True).get()
        if to not in TRANSITIONS.get(current, frozenset()):
            raise InvalidTransition(order.pk, current, to)
        now = timezone.now()
        changes: dict[str, object] = {"status": to}
        if to == Order.Status.CANCELLED:
            changes["cancelled_at"] = now
        # Conditional on the status just read: a concurrent step moved it → nothing updated.
        if not Order.objects.filter(pk=order.pk, status=current).update(**changes):
            raise InvalidTransition(order.pk, current, to)
        event = OrderEvent.objects.create(
            order=order, from_status=current, status=to, actor=actor, created_at=now
        )
        if to == Order.Status.CANCELLED:
            _restock(order)
        order.refresh_from_db(fields=["status", "cancelled_at"])
        _queue_status_email(order, event)
    return order


def _restock(order: Order) -> None:
    """Put the order's quantities back, in product-id order (as placing takes them), and tell
    the alerts which products have stock again."""
    lines = OrderLine.objects.filter(order=order).order_by("product_id")
    product_ids = []
    for product_id, quantity in lines.values_list("product_id", "quantity"):
        Product.objects.filter(pk=product_id).update(stock=F("stock") + quantity)
        product_ids.append(product_id)
    stock_replenished.send(sender=Product, product_ids=product_ids)


def _queue_status_email(order: Order, event: OrderEvent) -> None:
    """The customer's e-mail about ``event``; none for an account without an address (a
    customer who registered with a username only, or whose account was deleted)."""
    email = order.customer.email
    if not email:
        return
    status = Order.Status(event.status)
    lines = OrderLine.objects.filter(order=order).order_by("product_id")
    items = "\n".join(
        f"  {line.quantity} x {line.product_name}: {line.line_total}" for line in lines
    )
    queue_email(
        event_key=f"order-{order.pk}-{event.status}",
        to=email,
        subject=one_line(f"Order #{order.pk}: {status.label.lower()}"),
        body=(
            f"Hello {order.customer.get_username()},\n\n"
            f"{STATUS_MESSAGES[event.status]}\n\n"
            f"Order #{order.pk}, total {order.total}:\n{items}\n"
        ),
    )
