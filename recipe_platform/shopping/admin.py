from django.contrib import admin

from shopping.models import ShoppingItem


@admin.register(ShoppingItem)
class ShoppingItemAdmin(admin.ModelAdmin[ShoppingItem]):
    """Read-mostly: a cook's list is theirs; staff look only to answer a support question."""

    list_display = ["item", "amount", "owner", "ticked", "added"]
    list_filter = ["ticked"]
    search_fields = ["item", "owner__username"]
    list_select_related = ["owner"]
    readonly_fields = ["key", "added"]
