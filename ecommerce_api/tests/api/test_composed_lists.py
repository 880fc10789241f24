"""The product list's count and page, sent as statements composed once per shape
(``config.composed``): the same answers as the ORM builds for every filter, sort and page, and
no query composed again for a shape already seen.
"""

from __future__ import annotations

from decimal import Decimal

import django_filters
import pytest
from django.urls import reverse
from shared.contract.sessions import compiled_queries

from catalog.filters import ProductFilter
from catalog.models import Product
from config import composed
from tests.factories import CategoryFactory, ProductFactory, ProductImageFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("nothing_composed_yet")]

LIST_URL = reverse("product-list")


@pytest.fixture
def catalogue():
    """25 products in two categories, prices 1-25, every fifth sold out, one withdrawn."""
    kitchen = CategoryFactory(name="Kitchen", slug="kitchen")
    garden = CategoryFactory(name="Garden", slug="garden")
    for n in range(1, 26):
        ProductFactory(
            name=f"Product {n:02}",
            category=kitchen if n % 2 else garden,
            price=Decimal(n),
            stock=0 if n % 5 == 0 else n,
        )
    ProductFactory(name="Withdrawn", category=kitchen, price=Decimal(3), is_active=False)
    ProductImageFactory(product=Product.objects.get(name="Product 01"))


def _orm_only(monkeypatch):
    monkeypatch.setattr(composed, "statement", lambda *args, **kwargs: None)


#: Every filter alone and together, each sort, and pages past the first.
REQUESTS = [
    {},
    {"page": "2", "page_size": "10"},
    {"page": "last", "page_size": "10"},
    {"page_size": "100"},
    *(
        {"ordering": ordering}
        for ordering in ("price", "-price", "name", "-name", "newest", "oldest")
    ),
    {"category": "garden"},
    {"in_stock": "true"},
    {"in_stock": "false"},
    {"min_price": "5"},
    {"max_price": "7.50"},
    {"min_price": "3", "max_price": "17", "page": "2", "page_size": "4"},
    {"category": "kitchen", "in_stock": "true", "min_price": "2", "ordering": "-price"},
    {"search": "Product 01"},
    {"min_price": "100"},
    {"min_price": "", "category": ""},
]


@pytest.mark.parametrize("params", REQUESTS, ids=str)
def test_each_shape_answers_what_the_orm_answers(api_client, catalogue, monkeypatch, params):
    params = {**params, "fresh": "1"}  # never stored by the list's cache (catalog.list_cache)
    composed_answer = api_client.get(LIST_URL, params)
    composed_again = api_client.get(LIST_URL, params)  # from the kept shape
    _orm_only(monkeypatch)
    built_by_the_orm = api_client.get(LIST_URL, params)

    assert built_by_the_orm.status_code == 200
    assert composed_answer.json() == built_by_the_orm.json()
    assert composed_again.json() == built_by_the_orm.json()


def test_a_shape_seen_before_composes_no_catalogue_query(api_client, catalogue, monkeypatch):
    api_client.get(LIST_URL, {"min_price": "3", "max_price": "9", "page_size": "2"})
    compiled = compiled_queries(monkeypatch)

    response = api_client.get(LIST_URL, {"min_price": "4", "max_price": "12", "page_size": "2"})

    assert [p["price"] for p in response.json()["results"]] == ["4.00", "5.00"]  # by name
    assert response.json()["count"] == 9
    assert "catalog.Product" not in compiled


def test_new_values_in_a_known_shape_get_their_own_rows(api_client, catalogue):
    cheap = api_client.get(LIST_URL, {"max_price": "2", "category": "kitchen"}).json()
    dear = api_client.get(LIST_URL, {"max_price": "24", "category": "garden"}).json()

    assert [p["name"] for p in cheap["results"]] == ["Product 01"]
    assert dear["count"] == 12
    assert {p["category"]["slug"] for p in dear["results"]} == {"garden"}


def test_a_search_is_built_by_the_orm_each_time(api_client, catalogue, monkeypatch):
    api_client.get(LIST_URL, {"search": "Product 02"})
    compiled = compiled_queries(monkeypatch)

    response = api_client.get(LIST_URL, {"search": "Product 01"})

    assert [p["name"] for p in response.json()["results"]] == ["Product 01"]
    assert "catalog.Product" in compiled


def test_values_a_request_cannot_send_are_the_markers(api_client, catalogue):
    for params in ({"min_price": "-1.01"}, {"max_price": "-2.02"}):
        assert api_client.get(LIST_URL, params).status_code == 400


def test_composed_rows_are_the_orms_value_for_value_and_type_for_type(catalogue):
    marker = Decimal("-1.01")
    statement = composed.compose(Product.objects.priced_from(marker).for_display(), {"low": marker})

    rows = statement.dicts("default", {"low": Decimal("3.5")})

    expected = list(Product.objects.priced_from(Decimal("3.5")).for_display())
    assert rows == expected
    assert [[type(v) for v in row.values()] for row in rows] == [
        [type(v) for v in row.values()] for row in expected
    ]


def test_a_filter_that_does_not_say_how_it_shapes_the_sql_is_left_to_the_orm(rf):
    class WithColour(ProductFilter):
        colour = django_filters.CharFilter(field_name="description")

    request = rf.get(LIST_URL, {"colour": "red", "min_price": "3"})
    with_colour = WithColour(request.GET, Product.objects.active(), request=request)
    without = ProductFilter(request.GET, Product.objects.active(), request=request)

    assert with_colour.is_valid()
    assert without.is_valid()
    assert with_colour.shape() is None
    assert without.shape() is not None
