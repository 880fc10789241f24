from decimal import Decimal

import pytest
from django.urls import reverse
from shared.factories import UserFactory

from catalog.models import Product
from orders.models import Order
from orders.services import place_order
from tests.factories import OrderFactory, OrderLineFactory, ProductFactory

pytestmark = pytest.mark.django_db

LIST_URL = reverse("order-list")


def _order_body(*lines):
    return {"items": [{"product": product.pk, "quantity": quantity} for product, quantity in lines]}


def _stock(product):
    return Product.objects.get(pk=product.pk).stock


def test_placing_an_order_answers_201_with_the_order_and_its_location(token_client):
    kettle = ProductFactory(price=Decimal("24.50"), stock=5)
    mug = ProductFactory(price=Decimal("7.25"), stock=10)

    response = token_client.post(LIST_URL, _order_body((mug, 3), (kettle, 2)))

    assert response.status_code == 201, response.json()
    body = response.json()
    assert response["Location"] == f"http://testserver/api/orders/{body['id']}/"
    assert body["status"] == "placed"
    assert body["total"] == "70.75"
    assert body["created_at"]
    assert body["items"] == [
        {
            "product": kettle.pk,
            "product_name": kettle.name,
            "quantity": 2,
            "unit_price": "24.50",
            "line_total": "49.00",
        },
        {
            "product": mug.pk,
            "product_name": mug.name,
            "quantity": 3,
            "unit_price": "7.25",
            "line_total": "21.75",
        },
    ]
    assert _stock(kettle) == 3
    assert _stock(mug) == 7


def test_prices_sent_by_the_client_are_ignored(token_client):
    product = ProductFactory(price=Decimal("50.00"))
    body = {"items": [{"product": product.pk, "quantity": 1, "unit_price": "0.01"}], "total": "0"}

    response = token_client.post(LIST_URL, body)

    assert response.status_code == 201
    assert response.json()["total"] == "50.00"


def test_anonymous_clients_cannot_place_orders(api_client):
    product = ProductFactory(stock=5)

    response = api_client.post(LIST_URL, _order_body((product, 1)))

    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"
    assert response["WWW-Authenticate"] == "Token"
    assert _stock(product) == 5


def test_a_revoked_or_made_up_token_is_401(api_client):
    api_client.credentials(HTTP_AUTHORIZATION="Token not-a-real-token")

    response = api_client.get(LIST_URL)

    assert response.status_code == 401
    assert response.json()["code"] == "authentication_failed"


def test_not_enough_stock_seen_by_validation_is_400_with_every_short_line(token_client):
    short = ProductFactory(stock=1)
    fine = ProductFactory(stock=5)
    empty = ProductFactory(stock=0)

    response = token_client.post(LIST_URL, _order_body((short, 3), (fine, 1), (empty, 2)))

    assert response.status_code == 400
    assert response.json() == {
        "code": "insufficient_stock",
        "detail": "Not enough stock for some items; see shortages.",
        "shortages": [
            {"product": short.pk, "requested": 3, "available": 1},
            {"product": empty.pk, "requested": 2, "available": 0},
        ],
    }
    assert _stock(fine) == 5
    assert not Order.objects.exists()


def test_stock_taken_between_validation_and_save_is_409_with_the_same_body(
    token_client, monkeypatch
):
    product = ProductFactory(stock=2)

    def someone_else_first(**kwargs):
        Product.objects.filter(pk=product.pk).update(stock=1)  # after validation, before save
        return place_order(**kwargs)

    monkeypatch.setattr("orders.views.place_order", someone_else_first)

    response = token_client.post(LIST_URL, _order_body((product, 2)))

    assert response.status_code == 409
    assert response.json() == {
        "code": "insufficient_stock",
        "detail": "Not enough stock for some items; see shortages.",
        "shortages": [{"product": product.pk, "requested": 2, "available": 1}],
    }
    assert _stock(product) == 1
    assert not Order.objects.exists()


def test_validation_errors_are_400_with_messages_per_line(token_client):
    product = ProductFactory()

    response = token_client.post(
        LIST_URL,
        {"items": [{"product": product.pk, "quantity": 0}, {"product": 424242, "quantity": 1}]},
    )

    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid"
    assert body["errors"] == {
        "items": {"0": {"quantity": ["Ensure this value is greater than or equal to 1."]}}
    }


def test_an_unknown_product_is_400_on_its_line(token_client):
    product = ProductFactory()

    response = token_client.post(
        LIST_URL,
        {"items": [{"product": product.pk, "quantity": 1}, {"product": 424242, "quantity": 1}]},
    )

    assert response.status_code == 400
    assert response.json()["errors"] == {
        "items": {"1": {"product": ["No product with id 424242 is for sale."]}}
    }


def test_a_database_conflict_is_409_never_500(token_client, monkeypatch):
    from django.db import IntegrityError

    product = ProductFactory()

    def conflict(**kwargs):
        raise IntegrityError("UNIQUE constraint failed")

    monkeypatch.setattr("orders.views.place_order", conflict)

    response = token_client.post(LIST_URL, _order_body((product, 1)))

    assert response.status_code == 409
    assert response.json() == {
        "code": "conflict",
        "detail": "The request conflicts with data saved meanwhile; please retry.",
    }


def test_customers_list_only_their_own_orders(token_client, user, other_user):
    mine = OrderFactory(customer=user)
    OrderFactory(customer=other_user)

    response = token_client.get(LIST_URL)

    assert response.status_code == 200
    assert [order["id"] for order in response.json()["results"]] == [mine.pk]
    assert response.json()["count"] == 1


def test_anonymous_clients_cannot_list_orders(api_client):
    assert api_client.get(LIST_URL).status_code == 401


def test_a_customer_sees_their_order(token_client, user):
    order = OrderLineFactory(order__customer=user).order

    response = token_client.get(reverse("order-detail", args=[order.pk]))

    assert response.status_code == 200
    assert response.json()["id"] == order.pk


def test_someone_elses_order_is_404(token_client, other_user):
    order = OrderFactory(customer=other_user)

    response = token_client.get(reverse("order-detail", args=[order.pk]))

    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_the_order_list_costs_the_same_queries_with_few_or_many_orders(
    user_api_client, user, django_assert_num_queries
):
    OrderLineFactory(order__customer=user)
    with django_assert_num_queries(3):  # count, one page of orders, all their lines
        user_api_client.get(LIST_URL)

    for order in OrderFactory.create_batch(15, customer=user):
        OrderLineFactory.create_batch(3, order=order)
    with django_assert_num_queries(3):
        response = user_api_client.get(LIST_URL)
    assert response.json()["count"] == 16


def test_placing_an_order_costs_a_bounded_number_of_queries(
    user_api_client, django_assert_max_num_queries
):
    products = ProductFactory.create_batch(10)

    with django_assert_max_num_queries(30):
        response = user_api_client.post(LIST_URL, _order_body(*[(p, 1) for p in products]))
    assert response.status_code == 201


def test_cancelling_restores_the_stock_and_answers_the_cancelled_order(token_client):
    product = ProductFactory(stock=5)
    order_id = token_client.post(LIST_URL, _order_body((product, 2))).json()["id"]

    response = token_client.post(reverse("order-cancel", args=[order_id]))

    assert response.status_code == 200
    assert response.json()["status"] == "cancelled"
    assert response.json()["cancelled_at"]
    assert _stock(product) == 5


def test_cancelling_twice_is_409_and_restores_the_stock_once(token_client):
    product = ProductFactory(stock=5)
    order_id = token_client.post(LIST_URL, _order_body((product, 2))).json()["id"]
    token_client.post(reverse("order-cancel", args=[order_id]))

    response = token_client.post(reverse("order-cancel", args=[order_id]))

    assert response.status_code == 409
    assert response.json()["code"] == "not_cancellable"
    assert _stock(product) == 5


def test_someone_elses_order_cannot_be_cancelled(token_client, other_user):
    order = OrderFactory(customer=other_user)

    response = token_client.post(reverse("order-cancel", args=[order.pk]))

    assert response.status_code == 404
    assert Order.objects.get(pk=order.pk).status == Order.Status.PLACED


def test_cancelling_needs_post(token_client, user):
    order = OrderFactory(customer=user)

    response = token_client.get(reverse("order-cancel", args=[order.pk]))

    assert response.status_code == 405
    assert response.json()["code"] == "method_not_allowed"


def test_the_browsable_api_works_with_a_session(client):
    user = UserFactory()
    client.force_login(user)
    OrderFactory(customer=user)

    response = client.get(LIST_URL, HTTP_ACCEPT="text/html")

    assert response.status_code == 200
    assert b"Order List" in response.content
