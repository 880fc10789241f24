"""POST /api/orders/ with ``{"cart": true}``: the cart becomes an order with every guarantee
an order of items has, and is emptied in the same transaction, or left exactly as it was."""

from decimal import Decimal

import pytest
from django.urls import reverse

from cart.models import CartLine
from cart.services import add_to_cart
from catalog.models import Product
from orders.models import Order
from tests.factories import ProductFactory

pytestmark = pytest.mark.django_db

ORDERS_URL = reverse("order-list")


def _stock(product):
    return Product.objects.get(pk=product.pk).stock


def test_placing_the_cart_orders_its_lines_and_empties_it(token_client, user):
    kettle = ProductFactory(price=Decimal("24.50"), stock=5)
    mug = ProductFactory(price=Decimal("7.25"), stock=10)
    add_to_cart(customer=user, product_id=mug.pk, quantity=3)
    add_to_cart(customer=user, product_id=kettle.pk, quantity=2)

    response = token_client.post(ORDERS_URL, {"cart": True})

    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["total"] == "70.75"
    assert {(item["product"], item["quantity"]) for item in body["items"]} == {
        (kettle.pk, 2),
        (mug.pk, 3),
    }
    assert (_stock(kettle), _stock(mug)) == (3, 7)
    assert not CartLine.objects.exists()


def test_a_short_cart_is_insufficient_stock_and_stays_as_it_was(token_client, user):
    mug = ProductFactory(stock=5)
    add_to_cart(customer=user, product_id=mug.pk, quantity=4)
    Product.objects.filter(pk=mug.pk).update(stock=2)

    response = token_client.post(ORDERS_URL, {"cart": True})

    assert response.status_code == 400
    assert response.json()["code"] == "insufficient_stock"
    assert response.json()["shortages"] == [{"product": mug.pk, "requested": 4, "available": 2}]
    assert CartLine.objects.get().quantity == 4
    assert _stock(mug) == 2
    assert not Order.objects.exists()


def test_a_cart_whose_stock_runs_out_during_the_save_is_409_and_stays(
    token_client, user, monkeypatch
):
    mug = ProductFactory(stock=5)
    add_to_cart(customer=user, product_id=mug.pk, quantity=4)
    from orders import services

    real_take = services._take_stock

    def sold_out_meanwhile(product_id, quantity):
        Product.objects.filter(pk=product_id).update(stock=1)
        return real_take(product_id, quantity)

    monkeypatch.setattr(services, "_take_stock", sold_out_meanwhile)

    response = token_client.post(ORDERS_URL, {"cart": True})

    assert response.status_code == 409
    assert response.json()["shortages"] == [{"product": mug.pk, "requested": 4, "available": 1}]
    assert CartLine.objects.get().quantity == 4
    assert not Order.objects.exists()


def test_an_empty_cart_cannot_be_placed(token_client):
    response = token_client.post(ORDERS_URL, {"cart": True})

    assert response.status_code == 400
    assert response.json()["errors"] == {"cart": ["Your cart is empty."]}


def test_a_cart_with_a_product_taken_off_sale_is_a_field_error(token_client, user):
    mug = ProductFactory()
    add_to_cart(customer=user, product_id=mug.pk, quantity=1)
    Product.objects.filter(pk=mug.pk).update(is_active=False)

    response = token_client.post(ORDERS_URL, {"cart": True})

    assert response.status_code == 400
    assert response.json()["errors"] == {
        "cart": {"0": {"product": [f"No product with id {mug.pk} is for sale."]}}
    }
    assert CartLine.objects.exists()


@pytest.mark.parametrize(
    ("body", "errors"),
    [
        ({}, {"items": ['This field is required (or "cart": true).']}),
        ({"cart": False}, {"items": ['This field is required (or "cart": true).']}),
        (
            {"cart": True, "items": [{"product": 1, "quantity": 1}]},
            {"cart": ['Send items or "cart": true, not both.']},
        ),
        ({"cart": "true"}, {"cart": ["Must be true or false, sent as a JSON boolean."]}),
        ({"cart": 1}, {"cart": ["Must be true or false, sent as a JSON boolean."]}),
    ],
)
def test_an_order_names_its_items_or_the_cart_once(token_client, user, body, errors):
    add_to_cart(customer=user, product_id=ProductFactory(pk=1).pk, quantity=1)

    response = token_client.post(ORDERS_URL, body)

    assert response.status_code == 400
    assert response.json()["errors"] == errors
    assert CartLine.objects.exists()


def test_an_order_of_items_leaves_the_cart_alone(token_client, user):
    mug, kettle = ProductFactory(), ProductFactory()
    add_to_cart(customer=user, product_id=mug.pk, quantity=1)

    response = token_client.post(ORDERS_URL, {"items": [{"product": kettle.pk, "quantity": 1}]})

    assert response.status_code == 201
    assert CartLine.objects.filter(product=mug).exists()


def test_a_replayed_cart_order_answers_the_first_order_and_keeps_the_new_cart(token_client, user):
    mug, kettle = ProductFactory(stock=5), ProductFactory(stock=5)
    add_to_cart(customer=user, product_id=mug.pk, quantity=1)
    headers = {"HTTP_IDEMPOTENCY_KEY": "cart-once"}
    first = token_client.post(ORDERS_URL, {"cart": True}, **headers)
    add_to_cart(customer=user, product_id=kettle.pk, quantity=1)

    again = token_client.post(ORDERS_URL, {"cart": True}, **headers)

    assert again.status_code == 201
    assert again["Idempotent-Replayed"] == "true"
    assert again.json()["id"] == first.json()["id"]
    assert list(CartLine.objects.values_list("product_id", flat=True)) == [kettle.pk]
    assert (_stock(mug), _stock(kettle)) == (4, 5)


def test_placing_one_customers_cart_leaves_anothers_alone(token_client, user, other_user):
    mug = ProductFactory(stock=5)
    add_to_cart(customer=user, product_id=mug.pk, quantity=1)
    add_to_cart(customer=other_user, product_id=mug.pk, quantity=2)

    token_client.post(ORDERS_URL, {"cart": True})

    assert list(CartLine.objects.values_list("cart__customer", "quantity")) == [(other_user.pk, 2)]


def test_a_cart_emptied_between_validation_and_the_save_is_409_cart_empty(
    token_client, user, monkeypatch
):
    from cart.services import empty_cart
    from orders import views
    from orders.checkout import place_cart

    add_to_cart(customer=user, product_id=ProductFactory(stock=5).pk, quantity=1)

    def emptied_on_another_device(**kwargs):
        empty_cart(customer=user)
        return place_cart(**kwargs)

    monkeypatch.setattr(views, "place_cart", emptied_on_another_device)

    response = token_client.post(ORDERS_URL, {"cart": True})

    assert response.status_code == 409
    assert response.json()["code"] == "cart_empty"
    assert not Order.objects.exists()
