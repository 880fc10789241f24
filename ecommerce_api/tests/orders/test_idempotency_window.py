"""An ``Idempotency-Key`` replays its order for the replay window (24 hours by default); after
it the key is new again, and the maintenance job deletes its record."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from catalog.models import Product
from orders.models import IdempotencyRecord, Order
from orders.services import (
    IdempotencyClaim,
    LineRequest,
    place_order,
    purge_idempotency_records,
)
from tests.factories import ProductFactory

pytestmark = pytest.mark.django_db

DAY = timedelta(hours=24)  # the README's replay window


def _age_records(age: timedelta, **filters) -> None:
    IdempotencyRecord.objects.filter(**filters).update(created_at=timezone.now() - age)


def _keyed_order(user, key: str, product=None) -> Order:
    product = product or ProductFactory(stock=10)
    claim = IdempotencyClaim(key, "hash-a")
    return place_order(customer=user, lines=[LineRequest(product.pk, 1)], idempotency=claim).order


def test_the_replay_window_is_24_hours_by_default(settings):
    assert settings.IDEMPOTENCY_REPLAY_WINDOW == DAY


def test_a_key_still_replays_just_inside_the_window(user):
    product = ProductFactory(stock=10)
    first = _keyed_order(user, "key-1", product)
    _age_records(DAY - timedelta(minutes=1))

    again = place_order(
        customer=user,
        lines=[LineRequest(product.pk, 1)],
        idempotency=IdempotencyClaim("key-1", "hash-a"),
    )

    assert again.replayed
    assert again.order == first
    assert Product.objects.get(pk=product.pk).stock == 9


def test_a_key_past_the_window_places_a_new_order_and_takes_over_the_key(user):
    product = ProductFactory(stock=10)
    first = _keyed_order(user, "key-1", product)
    _age_records(DAY + timedelta(seconds=1))

    again = place_order(
        customer=user,
        lines=[LineRequest(product.pk, 1)],
        idempotency=IdempotencyClaim("key-1", "hash-a"),
    )

    assert not again.replayed
    assert again.order != first
    assert Product.objects.get(pk=product.pk).stock == 8
    # The expired record was replaced in the same transaction, the first order kept.
    assert list(IdempotencyRecord.objects.values_list("order", flat=True)) == [again.order.pk]
    assert Order.objects.filter(pk=first.pk).exists()


def test_a_key_past_the_window_may_come_with_another_body(user):
    product = ProductFactory(stock=10)
    _keyed_order(user, "key-1", product)
    _age_records(DAY + timedelta(seconds=1))

    again = place_order(
        customer=user,
        lines=[LineRequest(product.pk, 3)],
        idempotency=IdempotencyClaim("key-1", "another-body"),
    )

    assert not again.replayed
    assert Product.objects.get(pk=product.pk).stock == 6


def test_the_window_follows_the_setting(user, settings):
    settings.IDEMPOTENCY_REPLAY_WINDOW = timedelta(hours=1)
    first = _keyed_order(user, "key-1")
    _age_records(timedelta(hours=2))

    again = _keyed_order(user, "key-1")

    assert again != first


def test_the_api_answers_an_expired_key_with_a_new_order(token_client):
    product = ProductFactory(stock=10)
    body = {"items": [{"product": product.pk, "quantity": 1}]}
    url = reverse("order-list")
    first = token_client.post(url, body, HTTP_IDEMPOTENCY_KEY="app-retry-1")
    _age_records(DAY + timedelta(seconds=1))

    again = token_client.post(url, body, HTTP_IDEMPOTENCY_KEY="app-retry-1")

    assert again.status_code == 201
    assert again.json()["id"] != first.json()["id"]
    assert "Idempotent-Replayed" not in again


def test_the_purge_deletes_the_records_past_the_window_and_keeps_the_orders(user, other_user):
    expired = [_keyed_order(user, f"old-{n}") for n in range(3)]
    _age_records(DAY + timedelta(seconds=1))
    live = [_keyed_order(user, "fresh"), _keyed_order(other_user, "old-0")]

    deleted = purge_idempotency_records()

    assert deleted == 3
    assert set(IdempotencyRecord.objects.values_list("order", flat=True)) == {o.pk for o in live}
    assert Order.objects.filter(pk__in=[o.pk for o in expired]).count() == 3


def test_the_purge_deletes_in_bounded_batches(user):
    for n in range(5):
        _keyed_order(user, f"old-{n}")
    _age_records(DAY + timedelta(seconds=1))

    with CaptureQueriesContext(connection) as queries:
        deleted = purge_idempotency_records(batch_size=2)

    deletes = [q["sql"] for q in queries.captured_queries if q["sql"].startswith("DELETE")]
    assert deleted == 5
    assert len(deletes) == 3  # 2 + 2 + 1
    assert not IdempotencyRecord.objects.exists()


def test_the_purge_with_nothing_expired_deletes_nothing(user):
    _keyed_order(user, "fresh")

    assert purge_idempotency_records() == 0
    assert IdempotencyRecord.objects.count() == 1


def test_the_purge_refuses_an_empty_batch():
    with pytest.raises(ValueError, match="batch_size"):
        purge_idempotency_records(batch_size=0)


def test_the_maintenance_job_runs_the_purge(user, capsys):
    _keyed_order(user, "old")
    _age_records(DAY + timedelta(seconds=1))
    _keyed_order(user, "fresh")

    call_command("run_maintenance", "--now")

    assert "purge_idempotency_records: deleted 1" in capsys.readouterr().out
    assert list(IdempotencyRecord.objects.values_list("key", flat=True)) == ["fresh"]
