from __future__ import annotations

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest

from config.admin import BoundedChangeListMixin
from orders.exceptions import OrderNotCancellable
from orders.models import Order, OrderLine
from orders.services import cancel_order

LINE_FIELDS = ("product", "product_name", "quantity", "unit_price", "line_total")
ORDER_FIELDS = ("customer", "status", "total", "created_at", "cancelled_at")


class OrderLineInline(admin.TabularInline[OrderLine, Order]):
    model = OrderLine
    fields = LINE_FIELDS
    readonly_fields = LINE_FIELDS
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Order | None = None) -> bool:
        return False


@admin.register(Order)
class OrderAdmin(BoundedChangeListMixin, admin.ModelAdmin[Order]):
    """Orders are read here and changed only through the services (stock must follow)."""

    list_display = ["__str__", "customer", "status", "total", "created_at"]
    list_filter = ["status", "created_at"]
    list_select_related = ["customer"]
    search_fields = ["=id", "customer__username", "customer__email"]
    date_hierarchy = "created_at"
    fields = ORDER_FIELDS
    readonly_fields = ORDER_FIELDS
    inlines = [OrderLineInline]
    actions = ["cancel_orders"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Order | None = None) -> bool:
        return False

    @admin.action(description="Cancel the selected orders and restock", permissions=["change"])
    def cancel_orders(self, request: HttpRequest, queryset: QuerySet[Order]) -> None:
        cancelled = 0
        for order in queryset:
            try:
                cancel_order(order=order)
            except OrderNotCancellable:
                continue
            cancelled += 1
        self.message_user(request, f"Cancelled {cancelled} order(s).", messages.SUCCESS)
