"""``GET``/``PATCH``/``DELETE /api/me/``: one's own account; closing it keeps the orders for the
shop's books and removes the personal data."""

from __future__ import annotations

import pytest
from axes.models import AccessAttempt
from django.urls import reverse
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient
from shared.factories import DEFAULT_PASSWORD

from accounts.models import User
from alerts.models import StockAlert
from cart.models import Cart
from notifications.models import OutboundEmail
from orders.models import Order
from orders.services import LineRequest, place_order
from tests.factories import ProductFactory

pytestmark = pytest.mark.django_db

URL = reverse("me")


def test_i_see_my_account(token_client, user):
    response = token_client.get(URL)

    assert response.status_code == 200
    assert response.json()["username"] == user.username
    assert response.json()["email"] == user.email


def test_an_anonymous_client_is_refused():
    assert APIClient().get(URL).status_code == 401


def test_i_change_my_name_and_address_but_not_my_username(token_client, user):
    response = token_client.patch(
        URL,
        {"first_name": "Ada", "email": "ada@example.org", "username": "someone-else"},
        format="json",
    )

    assert response.status_code == 200
    user.refresh_from_db()
    assert (user.first_name, user.email, user.username) == ("Ada", "ada@example.org", "customer")


def test_an_address_another_account_uses_is_a_400(token_client, other_user):
    response = token_client.patch(URL, {"email": other_user.email.upper()}, format="json")

    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["email"]


def test_a_name_with_a_line_break_is_a_400(token_client):
    response = token_client.patch(URL, {"last_name": "Love\nlace"}, format="json")

    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["last_name"]


def _close(client, password: str):
    return client.delete(URL, {"password": password}, format="json")


def test_closing_my_account_keeps_my_orders_and_removes_my_personal_data(token_client, user):
    product = ProductFactory(stock=5)
    order = place_order(customer=user, lines=[LineRequest(product.pk, 1)]).order
    StockAlert.objects.create(user=user, product=ProductFactory(stock=0))
    Cart.objects.create(customer=user)
    User.objects.filter(pk=user.pk).update(first_name="Ada", last_name="Lovelace")
    AccessAttempt.objects.create(
        username=user.username, ip_address="10.0.0.1", failures_since_start=1
    )

    response = _close(token_client, DEFAULT_PASSWORD)

    assert response.status_code == 204
    user.refresh_from_db()
    assert (user.username, user.email, user.first_name, user.last_name) == (
        f"deleted-{user.pk}",
        "",
        "",
        "",
    )
    assert not user.is_active
    assert not user.has_usable_password()
    assert Order.objects.get(pk=order.pk).customer_id == user.pk
    assert not Token.objects.filter(user=user).exists()
    assert not StockAlert.objects.exists()
    assert not Cart.objects.exists()
    assert not OutboundEmail.objects.filter(recipient="customer@example.com").exists()
    assert not AccessAttempt.objects.filter(username="customer").exists()


def test_after_closing_the_token_and_the_password_no_longer_work(token_client, token):
    _close(token_client, DEFAULT_PASSWORD)

    assert token_client.get(URL).status_code == 401
    login = APIClient().post(
        reverse("auth-token"), {"username": "customer", "password": DEFAULT_PASSWORD}, format="json"
    )
    assert login.status_code == 400


def test_a_wrong_password_is_a_400_and_closes_nothing(token_client, user):
    response = _close(token_client, "not my password")

    assert response.status_code == 400
    assert response.json()["errors"] == {"password": ["This is not your password."]}
    user.refresh_from_db()
    assert user.is_active
    assert user.username == "customer"


def test_wrong_passwords_count_towards_the_login_lockout(token_client, user):
    statuses = [_close(token_client, "guess").status_code for _ in range(5)]

    assert statuses == [400] * 4 + [429]
    response = _close(token_client, DEFAULT_PASSWORD)
    assert response.status_code == 429
    assert response.json()["code"] == "locked_out"
    assert User.objects.get(pk=user.pk).is_active


def test_the_61st_request_to_my_account_in_a_minute_is_a_429(token_client):
    statuses = [token_client.get(URL).status_code for _ in range(61)]

    assert statuses == [200] * 60 + [429]
