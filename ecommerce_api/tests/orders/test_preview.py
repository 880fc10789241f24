"""The order preview: today's totals, the stock left for each short line, and with
``accept_available`` the order of what is left; and it never reserves or changes anything."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cart.models import CartLine
from cart.services import add_to_cart
from catalog.models import Product
from orders.models import Order
from orders.preview import preview_cart, preview_order
from orders.services import LineRequest
from tests.factories import ProductFactory

pytestmark = pytest.mark.django_db

PREVIEW_URL = reverse("order-preview")


def _line(product, requested, quantity, available, line_total):
    return {
        "product": product.pk,
        "product_name": product.name,
        "unit_price": f"{product.price:.2f}",
        "requested": requested,
        "quantity": quantity,
        "available": available,
        "short": available < requested,
        "line_total": line_total,
    }


def test_a_preview_of_items_shows_todays_totals(token_client):
    kettle = ProductFactory(price=Decimal("24.50"), stock=5)
    mug = ProductFactory(price=Decimal("7.25"), stock=10)

    response = token_client.post(
        PREVIEW_URL,
        {"items": [{"product": kettle.pk, "quantity": 2}, {"product": mug.pk, "quantity": 3}]},
    )

    assert response.status_code == 200, response.json()
    assert response.json() == {
        "items": [_line(kettle, 2, 2, 5, "49.00"), _line(mug, 3, 3, 10, "21.75")],
        "total": "70.75",
        "can_be_placed": True,
        "accept_available": False,
    }


def test_a_short_line_shows_what_is_available_and_the_order_cannot_be_placed(token_client):
    kettle = ProductFactory(price=Decimal("20.00"), stock=1)

    body = token_client.post(PREVIEW_URL, {"items": [{"product": kettle.pk, "quantity": 3}]}).json()

    assert body["items"] == [_line(kettle, 3, 3, 1, "60.00")]
    assert body["total"] == "60.00"
    assert body["can_be_placed"] is False


def test_accepting_what_is_available_shows_the_order_of_what_is_left(token_client):
    kettle = ProductFactory(price=Decimal("20.00"), stock=1)
    mug = ProductFactory(price=Decimal("5.00"), stock=0)
    spoon = ProductFactory(price=Decimal("1.00"), stock=50)

    body = token_client.post(
        PREVIEW_URL,
        {
            "items": [
                {"product": kettle.pk, "quantity": 3},
                {"product": mug.pk, "quantity": 2},
                {"product": spoon.pk, "quantity": 4},
            ],
            "accept_available": True,
        },
    ).json()

    assert body["items"] == [
        _line(kettle, 3, 1, 1, "20.00"),
        _line(mug, 2, 0, 0, "0.00"),
        _line(spoon, 4, 4, 50, "4.00"),
    ]
    assert body["total"] == "24.00"
    assert body["can_be_placed"] is True
    assert body["accept_available"] is True


def test_nothing_left_at_all_cannot_be_placed_even_accepting_what_is_available():
    mug = ProductFactory(stock=0)

    preview = preview_order(lines=[LineRequest(mug.pk, 2)], accept_available=True)

    assert preview.can_be_placed is False
    assert preview.total == Decimal("0.00")


def test_a_preview_of_the_cart_shows_its_lines_and_leaves_it_as_it_was(token_client, user):
    mug = ProductFactory(price=Decimal("5.00"), stock=3)
    add_to_cart(customer=user, product_id=mug.pk, quantity=3)
    Product.objects.filter(pk=mug.pk).update(stock=1, is_active=True)
    mug.refresh_from_db()

    body = token_client.post(PREVIEW_URL, {"cart": True, "accept_available": True}).json()

    assert body["items"] == [_line(mug, 3, 1, 1, "5.00")]
    assert CartLine.objects.get().quantity == 3


def test_a_product_taken_off_sale_shows_in_a_cart_preview_with_nothing_available(user):
    mug = ProductFactory(stock=9)
    add_to_cart(customer=user, product_id=mug.pk, quantity=2)
    Product.objects.filter(pk=mug.pk).update(is_active=False)

    (line,) = preview_cart(customer=user).lines

    assert (line.available, line.short) == (0, True)


def test_an_empty_cart_previews_as_an_empty_order(token_client):
    body = token_client.post(PREVIEW_URL, {"cart": True}).json()

    assert body == {"items": [], "total": "0.00", "can_be_placed": True, "accept_available": False}


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"items": []},
        {"items": [{"product": 1, "quantity": "2"}]},
        {"items": [{"product": 1, "quantity": 101}]},
        {"items": [{"product": 999_999, "quantity": 1}]},
        {"items": [{"product": 1, "quantity": 1}, {"product": 1, "quantity": 2}]},
        {"cart": True, "accept_available": "yes"},
    ],
)
def test_a_preview_validates_its_input_like_an_order(token_client, body):
    ProductFactory(pk=1)

    response = token_client.post(PREVIEW_URL, body)

    assert response.status_code == 400
    assert response.json()["code"] == "invalid"


def test_a_preview_reserves_nothing_and_writes_nothing(token_client, user):
    """Every statement a preview runs is a SELECT: no stock moves, no order, no lock, no
    cart change, whatever it is asked."""
    mug = ProductFactory(stock=2)
    add_to_cart(customer=user, product_id=mug.pk, quantity=2)
    bodies = [
        {"items": [{"product": mug.pk, "quantity": 2}]},
        {"items": [{"product": mug.pk, "quantity": 5}], "accept_available": True},
        {"cart": True},
        {"cart": True, "accept_available": True},
    ]

    with CaptureQueriesContext(connection) as queries:
        for body in bodies:
            assert token_client.post(PREVIEW_URL, body).status_code == 200

    statements = [query["sql"].lstrip().split()[0].upper() for query in queries]
    # The token's user lookup, then the products (or the cart's lines with them).
    assert set(statements) == {"SELECT"}, statements
    assert not any("FOR UPDATE" in query["sql"] for query in queries)
    assert Product.objects.get(pk=mug.pk).stock == 2
    assert CartLine.objects.get().quantity == 2
    assert not Order.objects.exists()


def test_a_preview_costs_the_same_queries_with_one_line_or_many(
    token_client, django_assert_num_queries
):
    products = ProductFactory.create_batch(10)

    def body(count):
        return {"items": [{"product": p.pk, "quantity": 1} for p in products[:count]]}

    # The token, the products checked by validation, the products previewed.
    with django_assert_num_queries(3):
        token_client.post(PREVIEW_URL, body(1))
    with django_assert_num_queries(3):
        token_client.post(PREVIEW_URL, body(10))


def test_anonymous_clients_cannot_preview(api_client):
    assert api_client.post(PREVIEW_URL, {"cart": True}).status_code == 401
