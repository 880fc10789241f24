"""What the API does while Redis or the database is away (README, "Faults"), in-process.

Redis here is a real client on a port nothing listens on; the same with real servers stopped
and started under gunicorn is in ``tests/faults/``.
"""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from django.db import InterfaceError, OperationalError
from django.urls import reverse
from shared.factories import DEFAULT_PASSWORD, SuperuserFactory
from shared.services import free_port

from catalog.models import Product
from config import cache as resilient
from orders.models import Order
from tests.factories import ProductFactory

pytestmark = pytest.mark.django_db

ORDERS_URL = reverse("order-list")
TOKEN_URL = reverse("auth-token")


@pytest.fixture
def redis_away(settings) -> Iterator[None]:
    """Both caches (throttle counters, product list pages) on a Redis that is not there."""
    location = f"redis://127.0.0.1:{free_port()}/0"
    settings.CACHES = {
        alias: {"BACKEND": "config.cache.ResilientRedisCache", "LOCATION": location}
        for alias in ("default", "catalogue")
    }
    resilient._breakers.clear()
    yield
    resilient._breakers.clear()


@pytest.fixture
def product() -> Product:
    return ProductFactory(stock=5)


def _assert_refused_for_a_moment(response) -> None:
    assert response.status_code == 503
    assert response.json()["code"] == "service_unavailable"
    assert response["Retry-After"] == "30"


@pytest.mark.usefixtures("redis_away")
def test_without_redis_orders_are_refused_rather_than_placed_unthrottled(token_client, product):
    response = token_client.post(ORDERS_URL, {"items": [{"product": product.pk, "quantity": 1}]})

    _assert_refused_for_a_moment(response)
    assert not Order.objects.exists()
    assert Product.objects.get(pk=product.pk).stock == 5


@pytest.mark.usefixtures("redis_away")
def test_without_redis_logins_keep_working(api_client, user):
    response = api_client.post(TOKEN_URL, {"username": user.username, "password": DEFAULT_PASSWORD})

    assert response.status_code == 200
    assert response.json()["token"]


@pytest.mark.usefixtures("redis_away")
def test_without_redis_password_guessing_is_still_locked_out_after_5_failures(api_client, user):
    for _ in range(5):
        api_client.post(TOKEN_URL, {"username": user.username, "password": "wrong-guess"})

    response = api_client.post(TOKEN_URL, {"username": user.username, "password": DEFAULT_PASSWORD})

    assert response.status_code == 429


@pytest.mark.usefixtures("redis_away")
def test_without_redis_browsing_and_reading_orders_keep_working(api_client, token_client, product):
    assert api_client.get(reverse("product-list")).status_code == 200
    assert api_client.get(reverse("product-list"), {"page_size": 5}).status_code == 200
    assert api_client.get(reverse("product-detail", args=[product.pk])).status_code == 200
    assert token_client.get(ORDERS_URL).status_code == 200


@pytest.mark.usefixtures("redis_away")
def test_without_redis_the_session_logins_keep_working(client):
    admin = SuperuserFactory()

    admin_login = client.post(
        reverse("admin:login"), {"username": admin.username, "password": DEFAULT_PASSWORD}
    )
    api_login = client.post(
        reverse("rest_framework:login"),
        {"username": admin.username, "password": DEFAULT_PASSWORD},
    )

    assert admin_login.status_code == 302
    assert api_login.status_code == 302
    assert client.get(reverse("admin:index")).status_code == 200


@pytest.mark.usefixtures("redis_away")
def test_without_redis_healthz_is_200_and_says_the_cache_is_unavailable(client):
    response = client.get(reverse("healthz"))

    assert response.status_code == 200
    body = json.loads(response.content)
    assert body["status"] == "degraded"
    assert body["database"] == "ok"
    assert body["cache"] == "unavailable"


# --- the database --------------------------------------------------------------------------


@pytest.fixture
def database_fails(monkeypatch) -> list[type[Exception]]:
    """The product list's query raises what psycopg raises while PostgreSQL restarts."""
    raised: list[type[Exception]] = [OperationalError]

    def fail(*args, **kwargs):
        raise raised[0]("server closed the connection unexpectedly")

    monkeypatch.setattr("catalog.views.ProductViewSet.get_queryset", fail)
    return raised


@pytest.mark.parametrize("error", [OperationalError, InterfaceError])
def test_an_unreachable_database_is_a_503_in_the_apis_error_shape(
    api_client, database_fails, error
):
    """The contract (``TestDatabaseOutage``) holds the rest: the page a browser gets, the
    WARNING, other errors still a 500."""
    database_fails[0] = error

    response = api_client.get(reverse("product-list"), HTTP_ACCEPT="application/json")

    _assert_refused_for_a_moment(response)
    assert "no-store" in response["Cache-Control"]
