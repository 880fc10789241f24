"""The product list counts its matches up to 1,000: past that, ``count`` is 1,000 and
``count_is_capped`` says "1,000+", so no page view counts the whole catalogue. Every page stays
reachable, and ``?page=last`` counts exactly."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.paginator import PageNotAnInteger
from django.urls import reverse

from catalog.models import Product
from config.pagination import CappedCountPaginator
from tests.factories import CategoryFactory

pytestmark = pytest.mark.django_db

LIST_URL = reverse("product-list")


def _catalogue(size, **fields):
    category = CategoryFactory()
    Product.objects.bulk_create(
        Product(
            category=category,
            name=f"Product {n:05}",
            slug=f"product-{n}",
            price=Decimal("10.00"),
            stock=fields.get("stock", 1),
        )
        for n in range(size)
    )


def _get(api_client, **params):
    response = api_client.get(LIST_URL, params)
    assert response.status_code == 200, response.json()
    return response.json()


def test_a_thousand_products_are_counted_exactly(api_client):
    _catalogue(1000)

    body = _get(api_client)

    assert (body["count"], body["count_is_capped"]) == (1000, False)


def test_a_thousand_and_one_products_are_a_thousand_plus(api_client):
    _catalogue(1001)

    body = _get(api_client)

    assert (body["count"], body["count_is_capped"]) == (1000, True)


def test_a_small_list_is_counted_exactly(api_client):
    _catalogue(3)

    assert _get(api_client)["count"] == 3
    assert _get(api_client)["count_is_capped"] is False


def test_a_filtered_list_is_capped_too(api_client):
    _catalogue(1001, stock=0)

    body = _get(api_client, in_stock="false")

    assert (body["count"], body["count_is_capped"]) == (1000, True)


def test_the_pages_past_the_cap_stay_reachable_through_next(api_client):
    _catalogue(1001)

    tenth = _get(api_client, page=10, page_size=100)
    eleventh = _get(api_client, page=11, page_size=100)

    assert tenth["next"].endswith("page=11&page_size=100")
    assert [product["name"] for product in eleventh["results"]] == ["Product 01000"]
    assert eleventh["next"] is None
    assert eleventh["previous"].endswith("page=10&page_size=100")
    assert (eleventh["count"], eleventh["count_is_capped"]) == (1000, True)


def test_a_page_past_the_end_of_a_capped_list_is_404(api_client):
    _catalogue(1001)

    response = api_client.get(LIST_URL, {"page": 12, "page_size": 100})

    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_the_last_page_counts_exactly(api_client):
    _catalogue(1001)

    body = _get(api_client, page="last", page_size=100)

    assert (body["count"], body["count_is_capped"]) == (1001, False)
    assert [product["name"] for product in body["results"]] == ["Product 01000"]
    assert body["next"] is None


def test_a_capped_list_costs_the_same_four_queries(api_client, django_assert_num_queries):
    _catalogue(1001)

    # catalogue revision + capped count + one page with categories + the page's photos
    with django_assert_num_queries(4):
        api_client.get(LIST_URL, {"page": 11, "page_size": 100})


def test_the_schema_documents_the_capped_count(api_client):
    schema = api_client.get(
        reverse("schema"), HTTP_ACCEPT="application/vnd.oai.openapi+json"
    ).json()

    page = schema["components"]["schemas"]["PaginatedProductList"]

    assert page["required"] == ["count", "results", "count_is_capped"]
    assert page["properties"]["count_is_capped"]["type"] == "boolean"
    assert "1,000" in page["properties"]["count"]["description"]
    assert "1,000+" in page["properties"]["count_is_capped"]["description"]


@pytest.mark.parametrize("page", ["0", "00"])
def test_page_zero_is_404(api_client, page):
    _catalogue(3)

    response = api_client.get(LIST_URL, {"page": page})

    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_the_paginator_refuses_a_page_that_is_not_a_number():
    paginator = CappedCountPaginator(Product.objects.order_by("pk"), 20)

    with pytest.raises(PageNotAnInteger):
        paginator.page("two")
