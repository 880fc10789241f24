from __future__ import annotations

from typing import Any, TypedDict, cast

from django.contrib import admin
from django.db.models import Count, QuerySet
from django.http import HttpRequest
from django_stubs_ext import WithAnnotations

from catalog.models import Category, Product, ProductQuerySet
from catalog.photo_admin import ProductImageInline
from catalog.signals import stock_replenished
from config.admin import BoundedChangeListMixin


class StockStatusFilter(admin.SimpleListFilter):
    title = "stock"
    parameter_name = "stock_status"

    def lookups(
        self, request: HttpRequest, model_admin: admin.ModelAdmin[Any]
    ) -> list[tuple[str, str]]:
        return [("in", "In stock"), ("out", "Out of stock")]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Product]:
        products = cast(ProductQuerySet, queryset)  # the changelist's, from Product.objects
        if self.value() == "in":
            return products.in_stock()
        if self.value() == "out":
            return products.out_of_stock()
        return products


class _ProductCount(TypedDict):
    product_count: int


@admin.register(Category)
class CategoryAdmin(BoundedChangeListMixin, admin.ModelAdmin[Category]):
    list_display = ["name", "slug", "product_count"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}

    def get_queryset(self, request: HttpRequest) -> QuerySet[Category]:
        return super().get_queryset(request).annotate(product_count=Count("products"))

    @admin.display(description="products", ordering="product_count")
    def product_count(self, category: WithAnnotations[Category, _ProductCount]) -> int:
        return category.product_count


@admin.register(Product)
class ProductAdmin(BoundedChangeListMixin, admin.ModelAdmin[Product]):
    list_display = ["name", "category", "price", "stock", "in_stock", "is_active", "updated_at"]
    list_filter = ["category", StockStatusFilter, "is_active"]
    list_select_related = ["category"]
    search_fields = ["name", "slug", "description", "category__name"]
    prepopulated_fields = {"slug": ["name"]}
    readonly_fields = ["created_at", "updated_at"]
    ordering = ["name"]
    inlines = [ProductImageInline]

    @admin.display(boolean=True, description="in stock", ordering="stock")
    def in_stock(self, product: Product) -> bool:
        return product.in_stock

    def save_model(self, request: HttpRequest, obj: Product, form: Any, change: bool) -> None:
        """Save, then announce a restock (``catalog.signals``) inside the admin's transaction,
        so the back-in-stock e-mails are queued with the new stock or not at all."""
        super().save_model(request, obj, form, change)
        if "stock" in form.changed_data and obj.stock > 0:
            stock_replenished.send(sender=Product, product_ids=[obj.pk])
