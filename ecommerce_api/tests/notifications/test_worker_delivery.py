"""The real thing for e-mail: a request-side process queues the customer's e-mails with the
order, and the real worker process (``manage.py run_worker --burst``, production settings)
delivers them to a real SMTP server; nothing is sent before the worker runs."""

from __future__ import annotations

import pytest

from tests.processes import manage, run_python
from tests.test_worker import SETTINGS, backend  # noqa: F401 - the fixture, one deployment

pytestmark = pytest.mark.worker

PLACE_AND_CANCEL = """
import django; django.setup()
from catalog.models import Category, Product
from accounts.models import User
from orders.services import LineRequest, cancel_order, place_order

customer = User.objects.create_user("ada", "ada@example.com", password="unused-password")
category = Category.objects.create(name="Kettles", slug="kettles")
kettle = Product.objects.create(category=category, name="Kettle", slug="kettle", price=20, stock=9)
order = place_order(customer=customer, lines=[LineRequest(kettle.pk, 2)]).order
cancel_order(order=order)
print(order.pk)
"""


def test_the_worker_sends_the_order_emails_queued_by_the_request(backend, smtp_server):  # noqa: F811
    mail = {
        "DJANGO_EMAIL_HOST": "127.0.0.1",
        "DJANGO_EMAIL_PORT": str(smtp_server.port),
        "DJANGO_EMAIL_USE_TLS": "false",
    }
    placed = run_python(SETTINGS, PLACE_AND_CANCEL, **backend, **mail)
    assert placed.returncode == 0, placed.stderr
    order_id = placed.stdout.strip().splitlines()[-1]
    assert smtp_server.messages == []  # queued, not sent, by the request's process

    worker = manage("run_worker", "--burst", settings_module=SETTINGS, **backend, **mail)

    assert worker.returncode == 0, worker.stdout + worker.stderr
    messages = smtp_server.wait_for(2)
    assert sorted(m["Subject"] for m in messages) == [
        f"Order #{order_id}: cancelled",
        f"Order #{order_id}: placed",
    ]
    assert {m["To"] for m in messages} == {"ada@example.com"}
