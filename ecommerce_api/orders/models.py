from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.db.models import Prefetch, Q
from django.utils import timezone

from catalog.models import Product

if TYPE_CHECKING:
    from accounts.models import User


class OrderQuerySet(models.QuerySet["Order"]):
    def owned_by(self, user: User) -> OrderQuerySet:
        """The user's own orders: every lookup goes through this, so "not yours" is a 404."""
        return self.filter(customer=user)

    def with_lines(self) -> OrderQuerySet:
        """Prefetch the lines in one query, whatever the number of orders."""
        return self.prefetch_related(
            Prefetch("lines", queryset=OrderLine.objects.order_by("product_id"))
        )

    def with_history(self) -> OrderQuerySet:
        """Prefetch the status history in one query, whatever the number of orders."""
        return self.prefetch_related(
            Prefetch("events", queryset=OrderEvent.objects.order_by("created_at", "id"))
        )


class Order(models.Model):
    """A customer's order. Its status moves only through ``orders.lifecycle`` (placed, paid,
    shipped, delivered; or cancelled before shipping), which records each step in
    :class:`OrderEvent`."""

    class Status(models.TextChoices):
        PLACED = "placed", "Placed"
        PAID = "paid", "Paid"
        SHIPPED = "shipped", "Shipped"
        DELIVERED = "delivered", "Delivered"
        CANCELLED = "cancelled", "Cancelled"

    customer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="orders"
    )
    status = models.CharField(max_length=20, choices=Status, default=Status.PLACED)
    # Computed by the server when the order is placed; orders are never repriced afterwards.
    total = models.DecimalField(max_digits=12, decimal_places=2, default=Decimal("0.00"))
    created_at = models.DateTimeField(auto_now_add=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)

    objects = OrderQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(total__gte=0),
                name="orders_order_total_not_negative",
                violation_error_message="An order total cannot be negative.",
            ),
            models.CheckConstraint(
                condition=Q(status__in=["placed", "paid", "shipped", "delivered", "cancelled"]),
                name="orders_order_status_valid",
                violation_error_message="Unknown order status.",
            ),
            models.CheckConstraint(
                condition=Q(status="cancelled", cancelled_at__isnull=False)
                | (~Q(status="cancelled") & Q(cancelled_at__isnull=True)),
                name="orders_order_cancelled_at_iff_cancelled",
                violation_error_message="An order has a cancellation time exactly when cancelled.",
            ),
        ]
        indexes = [
            models.Index(
                fields=["customer", "-created_at", "-id"], name="order_customer_recent_idx"
            ),
        ]

    def __str__(self) -> str:
        return f"Order #{self.pk}"

    @property
    def is_cancellable(self) -> bool:
        """Cancelling is allowed until the order ships (``orders.lifecycle.TRANSITIONS``)."""
        return self.status in (self.Status.PLACED, self.Status.PAID)


#: Each (from, to) step the lifecycle allows; ``""`` is "no order yet". The history table's
#: CHECK constraint is built from it, and ``orders.lifecycle`` validates against it.
TRANSITIONS: dict[str, frozenset[str]] = {
    "": frozenset({Order.Status.PLACED}),
    Order.Status.PLACED: frozenset({Order.Status.PAID, Order.Status.CANCELLED}),
    Order.Status.PAID: frozenset({Order.Status.SHIPPED, Order.Status.CANCELLED}),
    Order.Status.SHIPPED: frozenset({Order.Status.DELIVERED}),
}


def _allowed_steps() -> Q:
    """The CHECK condition: one of the steps of :data:`TRANSITIONS`."""
    steps = Q()
    for source, targets in TRANSITIONS.items():
        steps |= Q(from_status=source, status__in=sorted(targets))
    return steps


class OrderEvent(models.Model):
    """One step of an order's history: the status it reached, from which, when and by whom.

    Append-only: ``orders.lifecycle`` inserts a row with each status change, in the same
    transaction, and nothing updates or deletes one (the admin shows them read-only). The
    database refuses a step the lifecycle does not allow, and a status reached twice (the
    lifecycle never goes back), so two racing changes cannot both be recorded.
    """

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="events")
    #: Empty for the first step (placing the order).
    from_status = models.CharField(max_length=20, choices=Order.Status, blank=True, default="")
    status = models.CharField(max_length=20, choices=Order.Status)
    #: The customer (placing, cancelling) or the staff member (the admin's actions); empty only
    #: once that account is deleted by staff, which leaves the step itself on record.
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=_allowed_steps(),
                name="orders_orderevent_allowed_step",
                violation_error_message="The order cannot move between these statuses.",
            ),
            models.UniqueConstraint(
                fields=["order", "status"],
                name="orders_orderevent_status_once",
                violation_error_message="The order has already reached this status.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.order}: {self.from_status or '-'} -> {self.status}"

    @property
    def by_staff(self) -> bool:
        """Whether shop staff took this step (otherwise the customer did)."""
        return self.actor_id is not None and self.actor_id != self.order.customer_id


class OrderLine(models.Model):
    """One product of an order, with the name and price it had when the order was placed."""

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="lines")
    product = models.ForeignKey(Product, on_delete=models.PROTECT, related_name="order_lines")
    product_name = models.CharField(max_length=200)
    quantity = models.PositiveIntegerField()
    unit_price = models.DecimalField(max_digits=10, decimal_places=2)

    class Meta:
        ordering = ["product_id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(quantity__gt=0),
                name="orders_orderline_quantity_positive",
                violation_error_message="The quantity must be at least 1.",
            ),
            models.CheckConstraint(
                condition=Q(unit_price__gte=0),
                name="orders_orderline_unit_price_not_negative",
                violation_error_message="The unit price cannot be negative.",
            ),
            models.UniqueConstraint(
                fields=["order", "product"],
                name="orders_orderline_unique_product",
                violation_error_message="An order lists each product once.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.quantity} x {self.product_name}"

    @property
    def line_total(self) -> Decimal:
        return self.unit_price * self.quantity


class IdempotencyRecordQuerySet(models.QuerySet["IdempotencyRecord"]):
    """Records split by ``settings.IDEMPOTENCY_REPLAY_WINDOW``: a record inside it replays its
    order, one past it is as good as gone (the maintenance job deletes it)."""

    def live(self) -> IdempotencyRecordQuerySet:
        return self.filter(created_at__gte=replay_window_start())

    def expired(self) -> IdempotencyRecordQuerySet:
        return self.filter(created_at__lt=replay_window_start())


def replay_window_start() -> datetime:
    """The oldest moment a record may have been created and still replay its order."""
    window: timedelta = settings.IDEMPOTENCY_REPLAY_WINDOW
    return timezone.now() - window


class IdempotencyRecord(models.Model):
    """Remembers which order an ``Idempotency-Key`` created, and a hash of the request body.

    A retried request with the same key and body gets the original order back; the same key
    with a different body is refused. That holds for ``settings.IDEMPOTENCY_REPLAY_WINDOW``
    after the order was placed; after it the key is new again. Kept apart from ``Order`` so old
    keys are purged without touching the orders.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="idempotency_records"
    )
    key = models.CharField(max_length=255)
    request_hash = models.CharField(max_length=64)
    order = models.OneToOneField(Order, on_delete=models.CASCADE, related_name="idempotency")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = IdempotencyRecordQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "key"],
                name="orders_idempotency_unique_user_key",
                violation_error_message="This idempotency key was already used.",
            ),
        ]
        indexes = [
            # The purge finds the expired records by age, a batch at a time.
            models.Index(fields=["created_at"], name="idempotency_created_idx"),
        ]

    def __str__(self) -> str:
        return self.key
