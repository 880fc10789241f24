"""Back-in-stock alerts through the API: subscribe to a sold-out product (idempotently), list
and delete one's own."""

from __future__ import annotations

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from alerts.models import StockAlert
from tests.factories import ProductFactory

pytestmark = pytest.mark.django_db


def _subscribe(client, product_id: int):
    return client.post(reverse("product-alerts", args=[product_id]))


def test_subscribing_to_a_sold_out_product_creates_the_alert(token_client, user):
    product = ProductFactory(stock=0, name="Kettle")

    response = _subscribe(token_client, product.pk)

    assert response.status_code == 201
    alert = StockAlert.objects.get()
    assert (alert.user, alert.product) == (user, product)
    assert response.json() == {
        "id": alert.pk,
        "product": product.pk,
        "product_name": "Kettle",
        "created_at": alert.created_at.isoformat().replace("+00:00", "Z"),
    }


def test_subscribing_again_answers_the_same_alert_with_200(token_client):
    product = ProductFactory(stock=0)
    first = _subscribe(token_client, product.pk)

    second = _subscribe(token_client, product.pk)

    assert second.status_code == 200
    assert second.json() == first.json()
    assert StockAlert.objects.count() == 1


def test_a_product_in_stock_is_a_400(token_client):
    product = ProductFactory(stock=1)

    response = _subscribe(token_client, product.pk)

    assert response.status_code == 400
    assert response.json()["errors"] == {"product": ["This product is in stock: order it now."]}
    assert not StockAlert.objects.exists()


def test_an_account_without_an_email_address_is_a_400(token_client, user):
    user.email = ""
    user.save()

    response = _subscribe(token_client, ProductFactory(stock=0).pk)

    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["email"]


@pytest.mark.parametrize("state", ["unknown", "inactive"])
def test_an_unknown_or_inactive_product_is_a_404(token_client, state):
    product_id = 999_999 if state == "unknown" else ProductFactory(stock=0, is_active=False).pk

    response = _subscribe(token_client, product_id)

    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_an_anonymous_client_is_refused():
    response = _subscribe(APIClient(), ProductFactory(stock=0).pk)

    assert response.status_code == 401


def test_the_list_holds_only_my_alerts_newest_first(token_client, user, other_user):
    old = StockAlert.objects.create(user=user, product=ProductFactory(stock=0))
    new = StockAlert.objects.create(user=user, product=ProductFactory(stock=0))
    StockAlert.objects.create(user=other_user, product=ProductFactory(stock=0))

    response = token_client.get(reverse("alert-list"))

    assert response.status_code == 200
    assert [a["id"] for a in response.json()["results"]] == [new.pk, old.pk]


@pytest.mark.parametrize("count", [1, 15])
def test_the_list_costs_the_same_queries_for_few_and_many(
    token_client, user, count, django_assert_num_queries
):
    for _ in range(count):
        StockAlert.objects.create(user=user, product=ProductFactory(stock=0))

    with django_assert_num_queries(3):  # token and user, count, page with products
        token_client.get(reverse("alert-list"))


def test_deleting_my_alert_ends_it(token_client, user):
    alert = StockAlert.objects.create(user=user, product=ProductFactory(stock=0))

    response = token_client.delete(reverse("alert-detail", args=[alert.pk]))

    assert response.status_code == 204
    assert not StockAlert.objects.exists()


def test_someone_elses_alert_is_a_404_and_stays(token_client, other_user):
    alert = StockAlert.objects.create(user=other_user, product=ProductFactory(stock=0))

    response = token_client.delete(reverse("alert-detail", args=[alert.pk]))

    assert response.status_code == 404
    assert StockAlert.objects.filter(pk=alert.pk).exists()


def test_the_31st_subscription_in_an_hour_is_a_429(token_client):
    products = ProductFactory.create_batch(31, stock=0)

    statuses = [_subscribe(token_client, p.pk).status_code for p in products]

    assert statuses == [201] * 30 + [429]
    assert StockAlert.objects.count() == 30
