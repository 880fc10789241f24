from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, cast

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest

from config.admin import BoundedChangeListMixin, ExistingRowsFormSet
from orders import lifecycle
from orders.exceptions import InvalidTransition
from orders.models import Order, OrderEvent, OrderLine

if TYPE_CHECKING:
    from accounts.models import User

LINE_FIELDS = ("product", "product_name", "quantity", "unit_price", "line_total")
ORDER_FIELDS = ("customer", "status", "total", "created_at", "cancelled_at")
EVENT_FIELDS = ("created_at", "from_status", "status", "actor")


class OrderLineInline(admin.TabularInline[OrderLine, Order]):
    model = OrderLine
    formset = ExistingRowsFormSet
    fields = LINE_FIELDS
    readonly_fields = LINE_FIELDS
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Order | None = None) -> bool:
        return False

    @admin.display(description="line total")
    def line_total(self, line: OrderLine) -> Decimal | str:
        return "-" if line._state.adding else line.line_total


class OrderEventInline(admin.TabularInline[OrderEvent, Order]):
    """The order's history, as recorded by ``orders.lifecycle``: read-only, append-only."""

    model = OrderEvent
    formset = ExistingRowsFormSet
    verbose_name_plural = "history"
    fields = EVENT_FIELDS
    readonly_fields = EVENT_FIELDS
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Order | None = None) -> bool:
        return False

    def get_queryset(self, request: HttpRequest) -> QuerySet[OrderEvent]:
        return super().get_queryset(request).select_related("actor")


@admin.register(Order)
class OrderAdmin(BoundedChangeListMixin, admin.ModelAdmin[Order]):
    """Orders are read here and moved on only through ``orders.lifecycle`` (the actions below),
    never by editing the status: the step must be allowed, recorded, e-mailed and, for a
    cancellation, restocked."""

    list_display = ["__str__", "customer", "status", "total", "created_at"]
    list_filter = ["status", "created_at"]
    list_select_related = ["customer"]
    search_fields = ["=id", "customer__username", "customer__email"]
    date_hierarchy = "created_at"
    fields = ORDER_FIELDS
    readonly_fields = ORDER_FIELDS
    inlines = [OrderLineInline, OrderEventInline]
    actions = ["mark_paid", "mark_shipped", "mark_delivered", "cancel_orders"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Order | None = None) -> bool:
        return False

    @admin.action(description="Mark the selected orders as paid", permissions=["change"])
    def mark_paid(self, request: HttpRequest, queryset: QuerySet[Order]) -> None:
        self._move(request, queryset, Order.Status.PAID)

    @admin.action(description="Mark the selected orders as shipped", permissions=["change"])
    def mark_shipped(self, request: HttpRequest, queryset: QuerySet[Order]) -> None:
        self._move(request, queryset, Order.Status.SHIPPED)

    @admin.action(description="Mark the selected orders as delivered", permissions=["change"])
    def mark_delivered(self, request: HttpRequest, queryset: QuerySet[Order]) -> None:
        self._move(request, queryset, Order.Status.DELIVERED)

    @admin.action(description="Cancel the selected orders and restock", permissions=["change"])
    def cancel_orders(self, request: HttpRequest, queryset: QuerySet[Order]) -> None:
        self._move(request, queryset, Order.Status.CANCELLED)

    def _move(self, request: HttpRequest, queryset: QuerySet[Order], to: Order.Status) -> None:
        """Each selected order through the lifecycle on its own: one that cannot take the step
        is reported by number and left as it was, the others move."""
        staff = cast("User", request.user)  # the admin site only lets staff in
        moved, refused = 0, []
        for order in queryset.order_by("pk"):
            try:
                lifecycle.change_status(order=order, to=to, actor=staff)
            except InvalidTransition as exc:
                refused.append(f"#{order.pk} ({exc.current})")
                continue
            moved += 1
        if moved:
            self.message_user(
                request, f"{moved} order(s) now {to.label.lower()}.", messages.SUCCESS
            )
        if refused:
            self.message_user(
                request,
                f"Not {to.label.lower()} (not allowed from their status): {', '.join(refused)}.",
                messages.ERROR,
            )
