"""The product list's query parameters: every filter and sort key is on an allowlist."""

from __future__ import annotations

from typing import Any

import django_filters

from catalog.models import ProductQuerySet

PRICE_FIELD: dict[str, Any] = {"max_digits": 10, "decimal_places": 2, "min_value": 0}

# Public sort keys mapped to database orderings; "id" last keeps pagination stable.
ORDERINGS = {
    "price": ("price", "id"),
    "-price": ("-price", "-id"),
    "name": ("name", "id"),
    "-name": ("-name", "-id"),
    "newest": ("-created_at", "-id"),
    "oldest": ("created_at", "id"),
}


class ProductFilter(django_filters.FilterSet):
    category = django_filters.CharFilter(
        field_name="category__slug", max_length=100, help_text="A category's slug."
    )
    in_stock = django_filters.BooleanFilter(
        method="filter_in_stock",
        help_text="`true`: only products in stock; `false`: only sold out.",
    )
    min_price = django_filters.NumberFilter(
        field_name="price", lookup_expr="gte", help_text="Lowest price, inclusive.", **PRICE_FIELD
    )
    max_price = django_filters.NumberFilter(
        field_name="price", lookup_expr="lte", help_text="Highest price, inclusive.", **PRICE_FIELD
    )
    search = django_filters.CharFilter(
        method="filter_search", max_length=100, help_text="Words in the name or description."
    )
    ordering = django_filters.ChoiceFilter(
        method="filter_ordering",
        choices=[(key, key) for key in ORDERINGS],
        empty_label=None,
        help_text="Sort order; the default is by name.",
    )

    def filter_in_stock(self, queryset: ProductQuerySet, name: str, value: bool) -> ProductQuerySet:
        return queryset.in_stock() if value else queryset.out_of_stock()

    def filter_search(self, queryset: ProductQuerySet, name: str, value: str) -> ProductQuerySet:
        return queryset.search(value)

    def filter_ordering(self, queryset: ProductQuerySet, name: str, value: str) -> ProductQuerySet:
        return queryset.order_by(*ORDERINGS[value])
