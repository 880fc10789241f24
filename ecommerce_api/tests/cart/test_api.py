"""The cart over HTTP: one per customer, quantities checked as an order checks them, stock
never touched, every answer the whole cart at today's prices."""

from decimal import Decimal

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from cart.models import Cart, CartLine
from catalog.models import Product
from tests.factories import ProductFactory

pytestmark = pytest.mark.django_db

CART_URL = reverse("cart")
ITEMS_URL = reverse("cart-items")


def _item_url(product_id):
    return reverse("cart-item", args=[product_id])


def _stock(product):
    return Product.objects.get(pk=product.pk).stock


def test_an_empty_cart_is_shown_without_creating_one(user_api_client):
    response = user_api_client.get(CART_URL)

    assert response.status_code == 200
    assert response.json() == {"items": [], "total": "0.00"}
    assert not Cart.objects.exists()


def test_adding_a_product_answers_the_whole_cart_at_todays_prices(user_api_client):
    kettle = ProductFactory(name="Kettle", price=Decimal("24.50"), stock=5)

    response = user_api_client.post(ITEMS_URL, {"product": kettle.pk, "quantity": 2})

    assert response.status_code == 200, response.json()
    assert response.json() == {
        "items": [
            {
                "product": kettle.pk,
                "product_name": "Kettle",
                "quantity": 2,
                "unit_price": "24.50",
                "line_total": "49.00",
                "available": 5,
            }
        ],
        "total": "49.00",
    }


def test_adding_a_product_again_adds_to_its_line(user_api_client):
    mug = ProductFactory(stock=10)
    user_api_client.post(ITEMS_URL, {"product": mug.pk, "quantity": 2})

    response = user_api_client.post(ITEMS_URL, {"product": mug.pk, "quantity": 3})

    assert [line["quantity"] for line in response.json()["items"]] == [5]
    assert CartLine.objects.count() == 1


def test_lines_are_listed_in_the_order_they_were_added(user_api_client):
    first, second = ProductFactory(name="Zebra"), ProductFactory(name="Apple")
    user_api_client.post(ITEMS_URL, {"product": first.pk, "quantity": 1})
    user_api_client.post(ITEMS_URL, {"product": second.pk, "quantity": 1})

    response = user_api_client.get(CART_URL)

    assert [line["product"] for line in response.json()["items"]] == [first.pk, second.pk]


def test_the_cart_shows_todays_price_not_the_price_when_added(user_api_client):
    mug = ProductFactory(price=Decimal("5.00"))
    user_api_client.post(ITEMS_URL, {"product": mug.pk, "quantity": 2})
    Product.objects.filter(pk=mug.pk).update(price=Decimal("6.00"))

    body = user_api_client.get(CART_URL).json()

    assert body["items"][0]["unit_price"] == "6.00"
    assert body["total"] == "12.00"


def test_changing_a_quantity_sets_it(user_api_client):
    mug = ProductFactory(stock=10)
    user_api_client.post(ITEMS_URL, {"product": mug.pk, "quantity": 4})

    response = user_api_client.patch(_item_url(mug.pk), {"quantity": 1})

    assert response.status_code == 200
    assert response.json()["items"][0]["quantity"] == 1


def test_removing_a_product_takes_its_line_out(user_api_client):
    mug, kettle = ProductFactory(), ProductFactory()
    user_api_client.post(ITEMS_URL, {"product": mug.pk, "quantity": 1})
    user_api_client.post(ITEMS_URL, {"product": kettle.pk, "quantity": 1})

    response = user_api_client.delete(_item_url(mug.pk))

    assert response.status_code == 200
    assert [line["product"] for line in response.json()["items"]] == [kettle.pk]


def test_emptying_the_cart_removes_every_line(user_api_client):
    user_api_client.post(ITEMS_URL, {"product": ProductFactory().pk, "quantity": 1})

    response = user_api_client.delete(CART_URL)

    assert response.status_code == 200
    assert response.json() == {"items": [], "total": "0.00"}
    assert not CartLine.objects.exists()


def test_a_product_not_in_the_cart_is_404_to_change_or_remove(user_api_client):
    mug = ProductFactory()

    assert user_api_client.patch(_item_url(mug.pk), {"quantity": 1}).status_code == 404
    assert user_api_client.delete(_item_url(mug.pk)).status_code == 404
    assert user_api_client.delete(_item_url(2**64)).status_code == 404


@pytest.mark.parametrize(
    "quantity", [0, -1, 101, "3", 3.0, True, None], ids=lambda value: repr(value)
)
def test_quantities_are_checked_exactly_like_an_orders(user_api_client, quantity):
    mug = ProductFactory(stock=500)

    response = user_api_client.post(ITEMS_URL, {"product": mug.pk, "quantity": quantity})

    assert response.status_code == 400
    assert response.json()["code"] == "invalid"
    assert "quantity" in response.json()["errors"]
    assert not CartLine.objects.exists()


def test_a_line_can_never_hold_more_than_100_of_a_product(user_api_client):
    mug = ProductFactory(stock=500)
    user_api_client.post(ITEMS_URL, {"product": mug.pk, "quantity": 60})

    response = user_api_client.post(ITEMS_URL, {"product": mug.pk, "quantity": 41})

    assert response.status_code == 400
    assert response.json()["errors"] == {
        "quantity": ["At most 100 of one product; the cart would hold 101."]
    }
    assert CartLine.objects.get().quantity == 60


def test_more_than_the_stock_is_insufficient_stock_with_the_shortage(user_api_client):
    mug = ProductFactory(stock=3)

    response = user_api_client.post(ITEMS_URL, {"product": mug.pk, "quantity": 4})

    assert response.status_code == 400
    assert response.json()["code"] == "insufficient_stock"
    assert response.json()["shortages"] == [{"product": mug.pk, "requested": 4, "available": 3}]
    assert not CartLine.objects.exists()


def test_changing_to_more_than_the_stock_keeps_the_old_quantity(user_api_client):
    mug = ProductFactory(stock=3)
    user_api_client.post(ITEMS_URL, {"product": mug.pk, "quantity": 2})

    response = user_api_client.patch(_item_url(mug.pk), {"quantity": 5})

    assert response.json()["code"] == "insufficient_stock"
    assert CartLine.objects.get().quantity == 2


@pytest.mark.parametrize("product_id", [0, 999_999, "1", 2**64])
def test_an_unknown_product_is_a_field_error(user_api_client, product_id):
    response = user_api_client.post(ITEMS_URL, {"product": product_id, "quantity": 1})

    assert response.status_code == 400
    assert "product" in response.json()["errors"]


def test_an_inactive_product_cannot_be_added(user_api_client):
    hidden = ProductFactory(is_active=False)

    response = user_api_client.post(ITEMS_URL, {"product": hidden.pk, "quantity": 1})

    assert response.status_code == 400
    assert response.json()["errors"] == {
        "product": [f"No product with id {hidden.pk} is for sale."]
    }


def test_a_product_taken_off_sale_shows_nothing_available_and_can_be_removed(user_api_client):
    mug = ProductFactory(stock=5)
    user_api_client.post(ITEMS_URL, {"product": mug.pk, "quantity": 1})
    Product.objects.filter(pk=mug.pk).update(is_active=False)

    assert user_api_client.get(CART_URL).json()["items"][0]["available"] == 0
    assert user_api_client.delete(_item_url(mug.pk)).status_code == 200


def test_a_cart_holds_at_most_50_products(user_api_client):
    for product in ProductFactory.create_batch(50):
        user_api_client.post(ITEMS_URL, {"product": product.pk, "quantity": 1})

    response = user_api_client.post(ITEMS_URL, {"product": ProductFactory().pk, "quantity": 1})

    assert response.status_code == 400
    assert response.json()["errors"] == {
        "product": ["The cart holds 50 products already; remove one first."]
    }
    assert CartLine.objects.count() == 50


def test_the_cart_never_changes_the_stock(user_api_client):
    mug = ProductFactory(stock=5)

    user_api_client.post(ITEMS_URL, {"product": mug.pk, "quantity": 5})
    user_api_client.patch(_item_url(mug.pk), {"quantity": 3})
    user_api_client.get(CART_URL)
    user_api_client.delete(_item_url(mug.pk))

    assert _stock(mug) == 5


def test_each_customer_sees_only_their_own_cart(user_api_client, other_user):
    mug = ProductFactory()
    user_api_client.post(ITEMS_URL, {"product": mug.pk, "quantity": 1})
    other = APIClient()
    other.force_authenticate(other_user)

    assert other.get(CART_URL).json()["items"] == []
    assert other.delete(_item_url(mug.pk)).status_code == 404
    assert CartLine.objects.count() == 1


def test_anonymous_clients_have_no_cart(api_client):
    assert api_client.get(CART_URL).status_code == 401
    assert api_client.post(ITEMS_URL, {"product": 1, "quantity": 1}).status_code == 401


def test_the_cart_costs_the_same_queries_with_one_line_or_many(
    user_api_client, django_assert_num_queries
):
    for product in ProductFactory.create_batch(2):
        user_api_client.post(ITEMS_URL, {"product": product.pk, "quantity": 1})
    with django_assert_num_queries(1):  # the lines with their products
        user_api_client.get(CART_URL)

    for product in ProductFactory.create_batch(20):
        user_api_client.post(ITEMS_URL, {"product": product.pk, "quantity": 1})
    with django_assert_num_queries(1):
        user_api_client.get(CART_URL)
