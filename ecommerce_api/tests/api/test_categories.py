"""GET /api/categories/: every category by name, with the number of its products on sale."""

import pytest
from django.urls import reverse

from tests.factories import CategoryFactory, ProductFactory

pytestmark = pytest.mark.django_db

URL = reverse("category-list")


def test_categories_are_listed_by_name_with_their_products_on_sale(api_client):
    phones = CategoryFactory(name="Phones", slug="phones")
    cables = CategoryFactory(name="Cables", slug="cables")
    ProductFactory.create_batch(2, category=phones)
    ProductFactory(category=phones, stock=0)  # sold out, still on sale
    ProductFactory(category=phones, is_active=False)

    response = api_client.get(URL)

    assert response.status_code == 200
    assert response.json()["results"] == [
        {"id": cables.pk, "name": "Cables", "slug": "cables", "product_count": 0},
        {"id": phones.pk, "name": "Phones", "slug": "phones", "product_count": 3},
    ]
    assert response.json()["count"] == 2


def test_the_list_is_paginated(api_client):
    CategoryFactory.create_batch(3)

    body = api_client.get(URL, {"page_size": 2}).json()

    assert len(body["results"]) == 2
    assert body["next"]


def test_the_list_costs_two_queries_whatever_its_size(api_client, django_assert_num_queries):
    for category in CategoryFactory.create_batch(3):
        ProductFactory.create_batch(2, category=category)
    with django_assert_num_queries(2):  # the count, the page with its counts
        api_client.get(URL)

    for category in CategoryFactory.create_batch(15):
        ProductFactory(category=category)
    with django_assert_num_queries(2):
        api_client.get(URL)


def test_categories_cannot_be_changed_through_the_api(user_api_client):
    assert user_api_client.post(URL, {"name": "New", "slug": "new"}).status_code == 405
