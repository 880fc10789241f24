import pytest
from django.urls import reverse
from shared.factories import DEFAULT_PASSWORD

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


TOKEN_URL = reverse("auth-token")
#: A new "client address" on every request, in each header a client could forge.
FORGED_HEADERS = [
    {
        "HTTP_X_FORWARDED_FOR": f"203.0.113.{n}",
        "HTTP_X_REAL_IP": f"198.51.100.{n}",
        "HTTP_FORWARDED": f"for=192.0.2.{n}",
    }
    for n in range(1, 12)
]


@pytest.fixture
def two_token_requests_a_minute(settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"order_placement": "100/minute", "auth_token": "2/minute"},
    }


@pytest.mark.usefixtures("two_token_requests_a_minute")
def test_forged_forwarding_headers_do_not_escape_the_token_throttle(api_client):
    """DRF's own get_ident takes X-Forwarded-For for the client unless told otherwise, so a new
    forged address on every request was a new allowance every time."""
    statuses = [
        api_client.post(TOKEN_URL, {"username": f"guess{n}", "password": "x"}, **headers)
        for n, headers in enumerate(FORGED_HEADERS[:3])
    ]

    assert [response.status_code for response in statuses] == [400, 400, 429]
    assert statuses[-1].json()["code"] == "throttled"


@pytest.mark.usefixtures("two_token_requests_a_minute")
def test_behind_one_trusted_proxy_the_token_throttle_counts_the_address_it_appended(
    api_client, settings
):
    settings.TRUSTED_PROXY_COUNT = 1

    def ask(forwarded_for: str) -> int:
        response = api_client.post(
            TOKEN_URL, {"username": "someone", "password": "x"}, HTTP_X_FORWARDED_FOR=forwarded_for
        )
        return int(response.status_code)

    # The client forges the left part each time; the proxy appends the address it saw.
    assert [ask(f"10.9.9.{n}, 198.51.100.7") for n in range(3)] == [400, 400, 429]
    assert ask("10.9.9.1, 198.51.100.8") == 400  # another client behind the same proxy


@pytest.mark.usefixtures("two_orders_a_minute")
def test_forged_forwarding_headers_do_not_escape_the_order_throttle(token_client):
    product = ProductFactory(stock=10)
    body = {"items": [{"product": product.pk, "quantity": 1}]}

    statuses = [
        token_client.post(LIST_URL, body, **headers).status_code for headers in FORGED_HEADERS[:3]
    ]

    assert statuses == [201, 201, 429]


def test_the_eleventh_order_in_a_minute_is_refused(token_client):
    """The README's limit, at the default settings: 10 orders a minute per customer."""
    product = ProductFactory(stock=100)
    body = {"items": [{"product": product.pk, "quantity": 1}]}

    statuses = [token_client.post(LIST_URL, body).status_code for _ in range(11)]

    assert statuses == [201] * 10 + [429]


def test_the_eleventh_token_request_in_a_minute_is_refused(api_client, user):
    """The README's limit, at the default settings: 10 token requests a minute per address,
    even from an account that knows its password and with a new forged address each time."""
    credentials = {"username": user.username, "password": DEFAULT_PASSWORD}

    statuses = [
        api_client.post(TOKEN_URL, credentials, **headers).status_code for headers in FORGED_HEADERS
    ]

    assert statuses == [200] * 10 + [429]
