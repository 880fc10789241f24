import pytest
from django.urls import reverse

from tests.factories import ProductFactory

pytestmark = pytest.mark.django_db

LIST_URL = reverse("order-list")


@pytest.fixture
def two_orders_a_minute(settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"order_placement": "2/minute", "auth_token": "100/minute"},
    }


@pytest.mark.usefixtures("two_orders_a_minute")
def test_placing_too_many_orders_is_429_with_retry_after(token_client):
    product = ProductFactory(stock=10)
    body = {"items": [{"product": product.pk, "quantity": 1}]}
    for _ in range(2):
        assert token_client.post(LIST_URL, body).status_code == 201

    response = token_client.post(LIST_URL, body)

    assert response.status_code == 429
    assert response.json()["code"] == "throttled"
    assert 0 < int(response["Retry-After"]) <= 60
    product.refresh_from_db()
    assert product.stock == 8


@pytest.mark.usefixtures("two_orders_a_minute")
def test_the_order_throttle_is_per_customer(token_client, other_user_client):
    product = ProductFactory(stock=10)
    body = {"items": [{"product": product.pk, "quantity": 1}]}
    for _ in range(2):
        token_client.post(LIST_URL, body)

    response = other_user_client.post(LIST_URL, body, content_type="application/json")

    assert response.status_code == 201


@pytest.mark.usefixtures("two_orders_a_minute")
def test_reading_orders_is_not_throttled_by_placement(token_client):
    for _ in range(5):
        assert token_client.get(LIST_URL).status_code == 200
