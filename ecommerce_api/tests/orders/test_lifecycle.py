"""``orders.lifecycle``: placed → paid → shipped → delivered, cancelled only before shipping;
each step allowed, recorded (who, when) and e-mailed, every other step refused with nothing
changed."""

from __future__ import annotations

import itertools

import pytest
from django.db import IntegrityError, transaction

from catalog.models import Product
from notifications.models import OutboundEmail
from orders import lifecycle
from orders.exceptions import InvalidTransition, OrderNotCancellable
from orders.models import Order, OrderEvent
from orders.services import LineRequest, cancel_order, place_order
from tests.factories import ProductFactory

pytestmark = pytest.mark.django_db

S = Order.Status
#: The steps that lead from a fresh order to each status.
PATHS: dict[str, list[str]] = {
    S.PLACED: [],
    S.PAID: [S.PAID],
    S.SHIPPED: [S.PAID, S.SHIPPED],
    S.DELIVERED: [S.PAID, S.SHIPPED, S.DELIVERED],
    S.CANCELLED: [S.CANCELLED],
}
ALLOWED = {
    (S.PLACED, S.PAID),
    (S.PLACED, S.CANCELLED),
    (S.PAID, S.SHIPPED),
    (S.PAID, S.CANCELLED),
    (S.SHIPPED, S.DELIVERED),
}
ALL_STEPS = list(itertools.product(S.values, S.values))


def _order_in(status: str, customer, staff) -> Order:
    product = ProductFactory(stock=5)
    order = place_order(customer=customer, lines=[LineRequest(product.pk, 2)]).order
    for step in PATHS[status]:
        lifecycle.change_status(order=order, to=step, actor=staff)
    return order


@pytest.mark.parametrize(("start", "target"), sorted(ALLOWED))
def test_an_allowed_step_moves_the_order_and_records_who_and_when(start, target, user, staff_user):
    order = _order_in(start, user, staff_user)

    lifecycle.change_status(order=order, to=target, actor=staff_user)

    order.refresh_from_db()
    assert order.status == target
    last = order.events.order_by("created_at", "id").last()
    assert last is not None
    assert (last.from_status, last.status, last.actor) == (start, target, staff_user)
    assert last.by_staff
    assert [e.status for e in order.events.all()] == [S.PLACED, *PATHS[start], target]


@pytest.mark.parametrize(("start", "target"), [step for step in ALL_STEPS if step not in ALLOWED])
def test_every_other_step_is_refused_and_changes_nothing(start, target, user, staff_user):
    order = _order_in(start, user, staff_user)
    before = (
        list(Order.objects.filter(pk=order.pk).values()),
        list(OrderEvent.objects.values()),
        list(Product.objects.values_list("stock", flat=True)),
        OutboundEmail.objects.count(),
    )

    with pytest.raises(InvalidTransition) as refused:
        lifecycle.change_status(order=order, to=target, actor=staff_user)

    assert (refused.value.current, refused.value.target) == (start, target)
    assert before == (
        list(Order.objects.filter(pk=order.pk).values()),
        list(OrderEvent.objects.values()),
        list(Product.objects.values_list("stock", flat=True)),
        OutboundEmail.objects.count(),
    )


def test_placing_records_the_first_step_by_the_customer(user):
    order = _order_in(S.PLACED, user, None)

    (event,) = order.events.all()
    assert (event.from_status, event.status, event.actor) == ("", S.PLACED, user)
    assert not event.by_staff


@pytest.mark.parametrize("start", [S.PLACED, S.PAID])
def test_cancelling_before_shipping_puts_the_stock_back_once(start, user, staff_user):
    order = _order_in(start, user, staff_user)
    product = order.lines.get().product
    assert Product.objects.get(pk=product.pk).stock == 3

    cancel_order(order=order)

    assert Product.objects.get(pk=product.pk).stock == 5
    assert order.status == S.CANCELLED
    assert order.cancelled_at is not None
    with pytest.raises(OrderNotCancellable):
        cancel_order(order=order)
    assert Product.objects.get(pk=product.pk).stock == 5


@pytest.mark.parametrize("start", [S.SHIPPED, S.DELIVERED])
def test_a_shipped_order_cannot_be_cancelled_and_keeps_its_stock_taken(start, user, staff_user):
    order = _order_in(start, user, staff_user)

    with pytest.raises(OrderNotCancellable):
        cancel_order(order=order, actor=staff_user)

    assert Order.objects.get(pk=order.pk).status == start
    assert Product.objects.get().stock == 3


def test_a_step_taken_by_someone_else_meanwhile_is_refused(user, staff_user):
    order = _order_in(S.PLACED, user, staff_user)
    stale = Order.objects.get(pk=order.pk)
    lifecycle.change_status(order=order, to=S.CANCELLED, actor=user)

    with pytest.raises(InvalidTransition):
        lifecycle.change_status(order=stale, to=S.PAID, actor=staff_user)

    assert [e.status for e in order.events.all()] == [S.PLACED, S.CANCELLED]


@pytest.mark.parametrize(
    ("from_status", "status"),
    [("", S.PAID), (S.PLACED, S.SHIPPED), (S.SHIPPED, S.CANCELLED), (S.DELIVERED, S.PAID)],
)
def test_the_database_refuses_a_step_the_lifecycle_does_not_allow(from_status, status, user):
    order = _order_in(S.PLACED, user, None)

    with pytest.raises(IntegrityError), transaction.atomic():
        OrderEvent.objects.create(order=order, from_status=from_status, status=status)


def test_the_database_refuses_reaching_a_status_twice(user):
    order = _order_in(S.PLACED, user, None)

    with pytest.raises(IntegrityError), transaction.atomic():
        OrderEvent.objects.create(order=order, from_status="", status=S.PLACED)


def test_the_database_refuses_a_cancelled_order_without_its_time(user):
    order = _order_in(S.PLACED, user, None)

    with pytest.raises(IntegrityError), transaction.atomic():
        Order.objects.filter(pk=order.pk).update(status=S.CANCELLED)


def test_the_customer_gets_one_email_per_step_from_the_worker_over_smtp(
    smtp_server, user, staff_user, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        order = _order_in(S.SHIPPED, user, staff_user)

    messages = smtp_server.wait_for(3)
    assert [m["Subject"] for m in messages] == [
        f"Order #{order.pk}: placed",
        f"Order #{order.pk}: paid",
        f"Order #{order.pk}: shipped",
    ]
    assert {m["To"] for m in messages} == {"customer@example.com"}
    body = messages[2].get_content()
    assert "Your order is on its way." in body
    assert f"2 x {order.lines.get().product_name}: 20.00" in body
    assert set(OutboundEmail.objects.values_list("event_key", flat=True)) == {
        f"order-{order.pk}-placed",
        f"order-{order.pk}-paid",
        f"order-{order.pk}-shipped",
    }


def test_a_customer_without_an_email_address_gets_no_email(user, staff_user):
    user.email = ""
    user.save()

    _order_in(S.DELIVERED, user, staff_user)

    assert not OutboundEmail.objects.exists()


def test_a_refused_step_queues_no_email(user, staff_user):
    order = _order_in(S.DELIVERED, user, staff_user)
    queued = OutboundEmail.objects.count()

    with pytest.raises(InvalidTransition):
        lifecycle.change_status(order=order, to=S.CANCELLED, actor=staff_user)

    assert OutboundEmail.objects.count() == queued == 4
