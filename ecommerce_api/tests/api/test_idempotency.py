import pytest
from django.urls import reverse

from catalog.models import Product
from orders.models import Order
from tests.factories import ProductFactory

pytestmark = pytest.mark.django_db

LIST_URL = reverse("order-list")


def _post(client, body, key):
    return client.post(LIST_URL, body, HTTP_IDEMPOTENCY_KEY=key)


def test_a_retried_request_replays_the_original_order(token_client):
    product = ProductFactory(stock=5)
    body = {"items": [{"product": product.pk, "quantity": 2}]}
    first = _post(token_client, body, "4b9a0c1e-retry")

    again = _post(token_client, body, "4b9a0c1e-retry")

    assert again.status_code == 201
    assert again.json() == first.json()
    assert again["Location"] == first["Location"]
    assert again["Idempotent-Replayed"] == "true"
    assert "Idempotent-Replayed" not in first
    assert Order.objects.count() == 1
    assert Product.objects.get(pk=product.pk).stock == 3


def test_a_replay_needs_no_stock_left(token_client):
    product = ProductFactory(stock=2)
    body = {"items": [{"product": product.pk, "quantity": 2}]}
    first = _post(token_client, body, "last-units")

    again = _post(token_client, body, "last-units")

    assert again.status_code == 201
    assert again.json()["id"] == first.json()["id"]


def test_key_order_and_whitespace_in_the_body_do_not_matter(token_client):
    product = ProductFactory(stock=5)
    token_client.post(
        LIST_URL,
        f'{{"items": [{{"product": {product.pk}, "quantity": 1}}]}}',
        content_type="application/json",
        HTTP_IDEMPOTENCY_KEY="k",
    )

    again = token_client.post(
        LIST_URL,
        f'{{"items":[{{"quantity":1,"product":{product.pk}}}]}}',
        content_type="application/json",
        HTTP_IDEMPOTENCY_KEY="k",
    )

    assert again["Idempotent-Replayed"] == "true"


def test_the_same_key_with_a_different_body_is_422(token_client):
    product = ProductFactory(stock=5)
    _post(token_client, {"items": [{"product": product.pk, "quantity": 1}]}, "key-1")

    response = _post(token_client, {"items": [{"product": product.pk, "quantity": 2}]}, "key-1")

    assert response.status_code == 422
    assert response.json()["code"] == "idempotency_key_reused"
    assert Product.objects.get(pk=product.pk).stock == 4


def test_keys_are_per_user(token_client, other_user_client):
    product = ProductFactory(stock=5)
    body = {"items": [{"product": product.pk, "quantity": 1}]}
    mine = _post(token_client, body, "shared-key")

    theirs = other_user_client.post(
        LIST_URL, body, content_type="application/json", HTTP_IDEMPOTENCY_KEY="shared-key"
    )

    assert theirs.status_code == 201
    assert theirs.json()["id"] != mine.json()["id"]
    assert Product.objects.get(pk=product.pk).stock == 3


def test_a_request_that_failed_can_be_retried_with_its_key(token_client):
    product = ProductFactory(stock=1)
    body = {"items": [{"product": product.pk, "quantity": 2}]}
    assert _post(token_client, body, "retry-me").status_code == 400
    Product.objects.filter(pk=product.pk).update(stock=5)  # restocked

    response = _post(token_client, body, "retry-me")

    assert response.status_code == 201
    assert "Idempotent-Replayed" not in response


@pytest.mark.parametrize("key", ["", " ", "k" * 256, "clé", "with space"])
def test_a_malformed_key_is_400(token_client, key):
    product = ProductFactory()

    response = _post(token_client, {"items": [{"product": product.pk, "quantity": 1}]}, key)

    assert response.status_code == 400
    assert "Idempotency-Key" in response.json()["errors"]
    assert not Order.objects.exists()
