"""No URL, query parameter, form field or header of the project answers with a server error.

``shared.hostile_input`` walks every URL pattern (the admin's changelists, filters and date
hierarchy included) as each kind of visitor, with overflowing, malformed and hostile values:
integers past 64 bits, ``1e309``, ``NaN``, ``٣``, ``1_0``, 5,000 characters, NUL bytes, SQL,
impossible dates.
"""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from rest_framework.authtoken.models import Token
from shared.factories import SuperuserFactory, UserFactory
from shared.hostile_input import (
    HostileClient,
    admin_change_paths,
    client_for,
    find_server_errors,
    find_server_errors_in_forms,
)

from catalog.models import ProductImage
from orders.models import OrderLine
from tests.factories import OrderLineFactory, ProductFactory

# Walks of every URL take seconds each: they run first (shared.pytest_plugin), so the workers
# finish together.
pytestmark = [pytest.mark.django_db, pytest.mark.long_running]

#: The product list's parameters (README, "Endpoints") besides the walker's common ones.
PRODUCT_LIST_QUERIES = ("category", "in_stock", "min_price", "max_price", "search", "format")


@pytest.fixture(autouse=True)
def _a_catalogue_and_an_order(settings):
    """Something on every page, and throttles that let the walk through (they are tested
    elsewhere; here every request must reach its view)."""
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"order_placement": "10000/minute", "auth_token": "10000/minute"},
    }
    ProductFactory.create_batch(3)
    OrderLineFactory()


def _token_client() -> HostileClient:
    """The mobile app's customer: no session, ``Authorization: Token <key>`` on every request."""
    walker = client_for(None)
    key = Token.objects.create(user=UserFactory()).key
    walker.client.defaults["HTTP_AUTHORIZATION"] = f"Token {key}"
    return walker


#: The walk of every URL is split in this many pieces, which pytest-xdist runs side by side.
SHARDS = 4


@pytest.mark.parametrize("shard", range(SHARDS))
# The superuser's walks (the admin's pages) are the longest: handed out first.
@pytest.mark.parametrize("visitor", ["superuser", "token customer", "anonymous"])
def test_no_input_gives_a_server_error(visitor, shard):
    walker = {
        "anonymous": lambda: client_for(None),
        "token customer": _token_client,
        "superuser": lambda: client_for(SuperuserFactory()),
    }[visitor]()

    assert find_server_errors(walker, query_names=PRODUCT_LIST_QUERIES, shard=(shard, SHARDS)) == []


def test_the_admin_change_form_of_every_model_answers_hostile_input_without_a_server_error():
    """One row of every model the admin lists (the demo data has them all), each change form
    posted with hostile values in every field: its inlines' row counts and row ids included."""
    call_command("load_demo_data", stdout=StringIO())
    client = client_for(SuperuserFactory.create())

    with_photos = ProductImage.objects.latest("pk").product
    with_lines = OrderLine.objects.latest("pk").order

    paths = admin_change_paths(also=[with_photos, with_lines])
    assert find_server_errors_in_forms(client, paths) == []
