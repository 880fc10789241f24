"""``GET /api/orders/<id>/`` shows the order's history to its customer, and to nobody else."""

from __future__ import annotations

from datetime import datetime

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from orders import lifecycle
from orders.models import Order
from orders.services import LineRequest, place_order
from tests.factories import ProductFactory

pytestmark = pytest.mark.django_db


def _order(customer) -> Order:
    product = ProductFactory(stock=5)
    return place_order(customer=customer, lines=[LineRequest(product.pk, 1)]).order


def test_the_customer_sees_each_step_with_when_and_by_whom(token_client, user, staff_user):
    order = _order(user)
    lifecycle.change_status(order=order, to=Order.Status.PAID, actor=staff_user)

    response = token_client.get(reverse("order-detail", args=[order.pk]))

    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "paid"
    events = list(order.events.all())
    assert body["history"] == [
        {"status": "placed", "created_at": _iso(events[0].created_at), "by": "customer"},
        {"status": "paid", "created_at": _iso(events[1].created_at), "by": "shop"},
    ]


def test_the_history_never_names_the_staff_member(token_client, user, staff_user):
    order = _order(user)
    lifecycle.change_status(order=order, to=Order.Status.PAID, actor=staff_user)

    response = token_client.get(reverse("order-detail", args=[order.pk]))

    assert staff_user.username not in response.content.decode()


def test_someone_elses_order_and_its_history_are_a_404(token_client, other_user):
    order = _order(other_user)

    response = token_client.get(reverse("order-detail", args=[order.pk]))

    assert response.status_code == 404
    assert response.json() == {"code": "not_found", "detail": "No Order matches the given query."}


def test_an_anonymous_client_is_refused(user):
    order = _order(user)

    response = APIClient().get(reverse("order-detail", args=[order.pk]))

    assert response.status_code == 401


def test_the_list_does_not_carry_the_history(token_client, user):
    _order(user)

    (listed,) = token_client.get(reverse("order-list")).json()["results"]

    assert "history" not in listed


@pytest.mark.parametrize("steps", [[], [Order.Status.PAID, Order.Status.SHIPPED]])
def test_one_order_costs_the_same_queries_however_long_its_history(
    token_client, user, staff_user, steps, django_assert_num_queries
):
    order = _order(user)
    for step in steps:
        lifecycle.change_status(order=order, to=step, actor=staff_user)

    # token and user, the order, its lines, its history
    with django_assert_num_queries(4):
        response = token_client.get(reverse("order-detail", args=[order.pk]))

    assert len(response.json()["history"]) == 1 + len(steps)


def test_cancelling_answers_the_order_with_its_history(token_client, user):
    order = _order(user)

    response = token_client.post(reverse("order-cancel", args=[order.pk]))

    assert response.status_code == 200
    assert [e["status"] for e in response.json()["history"]] == ["placed", "cancelled"]
    assert [e["by"] for e in response.json()["history"]] == ["customer", "customer"]


def test_cancelling_a_shipped_order_is_a_409_and_changes_nothing(token_client, user, staff_user):
    order = _order(user)
    for step in (Order.Status.PAID, Order.Status.SHIPPED):
        lifecycle.change_status(order=order, to=step, actor=staff_user)

    response = token_client.post(reverse("order-cancel", args=[order.pk]))

    assert response.status_code == 409
    assert response.json()["code"] == "not_cancellable"
    assert Order.objects.get(pk=order.pk).status == Order.Status.SHIPPED
    assert order.lines.get().product.stock == 4


def _iso(moment: datetime) -> str:
    return moment.isoformat().replace("+00:00", "Z")
