from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest

from cart.models import Cart, CartLine
from config.admin import BoundedChangeListMixin, ExistingRowsFormSet


class CartLineInline(admin.TabularInline[CartLine, Cart]):
    model = CartLine
    formset = ExistingRowsFormSet
    fields = ["product", "quantity", "created_at"]
    readonly_fields = ["product", "quantity", "created_at"]
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Cart | None = None) -> bool:
        return False


@admin.register(Cart)
class CartAdmin(BoundedChangeListMixin, admin.ModelAdmin[Cart]):
    """Read-only: a cart is its customer's; staff look, for support, and change nothing."""

    list_display = ["customer", "updated_at"]
    list_select_related = ["customer"]
    search_fields = ["customer__username"]
    fields = ["customer", "created_at", "updated_at"]
    readonly_fields = ["customer", "created_at", "updated_at"]
    inlines = [CartLineInline]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Cart | None = None) -> bool:
        return False
