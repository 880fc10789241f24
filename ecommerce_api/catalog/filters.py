"""The product list's query parameters: every filter and sort key is on an allowlist, and every
value is checked strictly, so a malformed one is a 400 naming the parameter, never ignored.

Strict means one spelling per value: ``in_stock`` is ``true`` or ``false``; a price is ASCII
digits with an optional decimal point (not ``1_0``, Arabic-Indic digits, ``1e2`` or spaces,
which Python's ``Decimal`` would all read); a category is the slug of one that exists. An empty
value means no filter, as in an HTML form.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django_filters.constants import EMPTY_VALUES
from django_filters.fields import ModelChoiceField

from catalog.models import Category, Product, ProductQuerySet
from config.composed import Shape

PRICE_FIELD: dict[str, Any] = {"max_digits": 10, "decimal_places": 2, "min_value": 0}
PLAIN_DECIMAL = re.compile(r"[0-9]+(?:\.[0-9]+)?")
SLUG = re.compile(r"[-a-zA-Z0-9_]{1,100}")

#: Each filterset's form class, built on first use (``ProductFilter.get_form_class``).
_FORM_CLASSES: dict[type[django_filters.FilterSet], type[forms.Form]] = {}

#: The filters whose values are bound parameters of a composed list query, each with a marker
#: no request can send (prices are never negative, keys never below 1): see config.composed.
BOUND_MARKERS: dict[str, Any] = {
    "category": -3,
    "min_price": Decimal("-1.01"),
    "max_price": Decimal("-2.02"),
}
#: The filters whose values change the SQL itself: part of a list query's shape.
SHAPING = ("in_stock", "ordering")
#: The shape of the list with no filter and the default sort.
DEFAULT_LIST = ("products", (), ("",) * len(SHAPING))

# Public sort keys mapped to database orderings; "id" last keeps pagination stable.
ORDERINGS = {
    "price": ("price", "id"),
    "-price": ("-price", "-id"),
    "name": ("name", "id"),
    "-name": ("-name", "-id"),
    "newest": ("-created_at", "-id"),
    "oldest": ("created_at", "id"),
}


class PlainDecimalField(forms.DecimalField):
    """A decimal written as ASCII digits and at most one decimal point, nothing else."""

    def to_python(self, value: Any) -> Any:
        if value not in self.empty_values and not PLAIN_DECIMAL.fullmatch(str(value)):
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        return super().to_python(value)


class PriceFilter(django_filters.NumberFilter):
    field_class = PlainDecimalField


class CategorySlugField(ModelChoiceField):
    """A category's slug, refused by its shape before the database is asked (a NUL byte in a
    query is an error on PostgreSQL, not a miss)."""

    def to_python(self, value: Any) -> Any:
        if value not in self.empty_values and not SLUG.fullmatch(str(value)):
            raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
        return super().to_python(value)


class CategoryFilter(django_filters.ModelChoiceFilter):
    field_class = CategorySlugField


class ProductFilter(django_filters.FilterSet):
    category = CategoryFilter(
        queryset=Category.objects.all(),
        to_field_name="slug",
        method="filter_category",
        help_text="A category's slug; an unknown one is a 400.",
        error_messages={"invalid_choice": "No category has this slug."},
    )
    in_stock = django_filters.ChoiceFilter(
        method="filter_in_stock",
        choices=[("true", "true"), ("false", "false")],
        empty_label=None,
        help_text="`true`: only products in stock; `false`: only sold out.",
        error_messages={"invalid_choice": "Use true or false."},
    )
    min_price = PriceFilter(
        method="filter_min_price", help_text="Lowest price, inclusive.", **PRICE_FIELD
    )
    max_price = PriceFilter(
        method="filter_max_price", help_text="Highest price, inclusive.", **PRICE_FIELD
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

    def shape(self) -> Shape | None:
        """The list's query shape for :mod:`config.composed`: the filters set and the values
        that decide the SQL (the sort, ``in_stock``) are its key; prices and the category are
        bound values. None for a search, whose ``LIKE`` pattern the ORM builds from the text
        (and whose words PostgreSQL's full-text search parses)."""
        data = self.form.cleaned_data
        shaped = {*BOUND_MARKERS, *SHAPING}
        if any(value not in EMPTY_VALUES for name, value in data.items() if name not in shaped):
            return None  # a search, or a filter added without saying how it shapes the SQL
        bound = {name: data.get(name) for name in BOUND_MARKERS}
        values = {
            name: value.pk if isinstance(value, Category) else value
            for name, value in bound.items()
            if value not in EMPTY_VALUES
        }
        shaping = tuple(data.get(name) or "" for name in SHAPING)
        return Shape(
            key=("products", tuple(sorted(values)), shaping),
            values=values,
            markers={name: BOUND_MARKERS[name] for name in values},
            build=lambda marked: self.filtered({**data, **marked}),
        )

    def filtered(self, data: dict[str, Any]) -> QuerySet[Product]:
        """What ``filter_queryset`` does with ``data``, a category given by its key."""
        queryset = self.queryset
        assert queryset is not None  # noqa: S101 - the view always gives one
        for name, value in data.items():
            if name == "category" and isinstance(value, int):
                value = Category(pk=value)
            queryset = self.filters[name].filter(queryset, value)
        return queryset

    def get_form_class(self) -> type[forms.Form]:
        """The form, built once per process. django-filter builds a new form class, and a new
        field for each filter, on every request (about a tenth of a filtered page); the fields
        here depend on nothing in the request, and each form instance copies them anyway."""
        cls = type(self)
        if cls not in _FORM_CLASSES:
            _FORM_CLASSES[cls] = super().get_form_class()
        return _FORM_CLASSES[cls]

    def filter_category(
        self, queryset: ProductQuerySet, name: str, value: Category
    ) -> ProductQuerySet:
        return queryset.in_category(value.pk)

    def filter_in_stock(self, queryset: ProductQuerySet, name: str, value: str) -> ProductQuerySet:
        return queryset.in_stock() if value == "true" else queryset.out_of_stock()

    def filter_min_price(
        self, queryset: ProductQuerySet, name: str, value: Decimal
    ) -> ProductQuerySet:
        return queryset.priced_from(value)

    def filter_max_price(
        self, queryset: ProductQuerySet, name: str, value: Decimal
    ) -> ProductQuerySet:
        return queryset.priced_up_to(value)

    def filter_search(self, queryset: ProductQuerySet, name: str, value: str) -> ProductQuerySet:
        return queryset.search(value)

    def filter_ordering(self, queryset: ProductQuerySet, name: str, value: str) -> ProductQuerySet:
        return queryset.order_by(*ORDERINGS[value])
