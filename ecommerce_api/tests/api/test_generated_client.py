"""A Python client generated from the live schema, as a mobile team would generate theirs, runs
the shop's main path unchanged: register, log in, browse, fill the cart, preview, order, follow
the order, cancel.

openapi-python-client runs offline into the test's own folder; nothing in the generated code is
edited. A schema that documents a body the generator cannot type (the token endpoint's three
content types did), or an answer that does not match its documented shape, fails here.
"""

from __future__ import annotations

import importlib
import json
import os
import subprocess
import sys
import urllib.request
from contextlib import ExitStack
from decimal import Decimal
from typing import Any

import pytest

from catalog.models import Product
from tests.factories import CategoryFactory, ProductFactory, ProductImageFactory

pytestmark = pytest.mark.django_db(transaction=True)

PACKAGE = "shop_api_client"


@pytest.fixture
def generated_client(live_server, tmp_path):
    """The client package generated from ``/api/schema/``, imported; forgotten afterwards."""
    with urllib.request.urlopen(f"{live_server.url}/api/schema/?format=json") as response:  # noqa: S310 (the live server's URL)
        schema = json.load(response)
    (tmp_path / "schema.json").write_text(json.dumps(schema))
    # No post-generation hooks: the generated code is used as generated, not reformatted.
    (tmp_path / "config.yaml").write_text("post_hooks: []\n")
    generation = subprocess.run(  # noqa: S603 (this interpreter, fixed arguments)
        [
            sys.executable,
            "-m",
            "openapi_python_client",
            "generate",
            "--path=schema.json",
            f"--output-path={PACKAGE}",
            "--meta=none",
            "--config=config.yaml",
        ],
        cwd=tmp_path,
        # Not project code: coverage's subprocess measurement, started in this folder, would
        # resolve the project's relative "omit" patterns against it and spoil the report.
        env={name: value for name, value in os.environ.items() if not name.startswith("COVERAGE")},
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert generation.returncode == 0, generation.stdout + generation.stderr
    # The generator reports schema parts it could not turn into code as warnings.
    assert "Warning" not in generation.stdout + generation.stderr, generation.stdout
    sys.path.insert(0, str(tmp_path))
    try:
        yield _Package()
    finally:
        sys.path.remove(str(tmp_path))
        for name in [name for name in sys.modules if name.split(".")[0] == PACKAGE]:
            del sys.modules[name]


class _Package:
    """``package.models`` and ``package.api("orders", "orders_create")``, imported on demand."""

    def __init__(self) -> None:
        self.root = importlib.import_module(PACKAGE)
        self.models = importlib.import_module(f"{PACKAGE}.models")

    def api(self, tag: str, operation: str) -> Any:
        return importlib.import_module(f"{PACKAGE}.api.{tag}.{operation}")


def test_a_generated_client_runs_the_shop_path_end_to_end(live_server, generated_client):
    with ExitStack() as clients:
        _shop_path(live_server, generated_client, clients)


def _shop_path(live_server, generated_client, clients):
    kettle = ProductFactory(
        name="Stainless kettle",
        price=Decimal("24.50"),
        stock=5,
        category=CategoryFactory(name="Kitchen", slug="kitchen"),
    )
    ProductImageFactory(product=kettle, is_primary=True)
    ProductFactory(name="Toaster", stock=2)
    package, models = generated_client, generated_client.models
    anonymous = clients.enter_context(
        package.root.Client(base_url=live_server.url, raise_on_unexpected_status=True)
    )

    # Register, then log in as the app would on a second device.
    password = "correct-horse-battery-42"
    registered = package.api("auth", "auth_register_create").sync(
        client=anonymous,
        body=models.RegistrationRequest(
            username="new-customer", email="new@example.com", password=password
        ),
    )
    assert isinstance(registered, models.RegistrationResponse), registered
    logged_in = package.api("auth", "auth_token_create").sync(
        client=anonymous,
        body=models.TokenRequestRequest(username="new-customer", password=password),
    )
    assert isinstance(logged_in, models.TokenResponse), logged_in
    customer = clients.enter_context(
        package.root.AuthenticatedClient(
            base_url=live_server.url,
            token=logged_in.token,
            prefix="Token",
            raise_on_unexpected_status=True,
        )
    )

    # Browse: the categories, a search, the product with its photo.
    categories = package.api("categories", "categories_list").sync(client=anonymous)
    assert ("Kitchen", 1) in [(c.name, c.product_count) for c in categories.results]
    found = package.api("products", "products_list").sync(client=anonymous, search="kettle")
    assert [product.id for product in found.results] == [kettle.pk]
    product = package.api("products", "products_retrieve").sync(client=anonymous, id=kettle.pk)
    assert product.images[0].thumbnail.startswith(f"{live_server.url}/media/")

    # Fill the cart, change a quantity.
    package.api("cart", "cart_items_create").sync(
        client=customer, body=models.CartItemAddRequest(product=kettle.pk, quantity=3)
    )
    cart = package.api("cart", "cart_items_partial_update").sync(
        client=customer,
        product_id=kettle.pk,
        body=models.PatchedCartItemQuantityRequest(quantity=2),
    )
    assert (cart.items[0].quantity, cart.total) == (2, "49.00")

    # Preview the cart, then place it.
    preview = package.api("orders", "orders_preview_create").sync(
        client=customer, body=models.PreviewOrderRequest(cart=True)
    )
    assert (preview.total, preview.can_be_placed) == ("49.00", True)
    placed = package.api("orders", "orders_create").sync_detailed(
        client=customer, body=models.PlaceOrderRequest(cart=True)
    )
    assert placed.status_code == 201
    order = placed.parsed
    assert (order.total, order.status.value) == ("49.00", "placed")
    assert package.api("cart", "cart_retrieve").sync(client=customer).items == []
    assert Product.objects.get(pk=kettle.pk).stock == 3

    # Follow the order, then cancel it.
    followed = package.api("orders", "orders_retrieve").sync(client=customer, id=order.id)
    assert [step.status.value for step in followed.history] == ["placed"]
    mine = package.api("orders", "orders_list").sync(client=customer)
    assert [listed.id for listed in mine.results] == [order.id]
    cancelled = package.api("orders", "orders_cancel_create").sync(client=customer, id=order.id)
    assert cancelled.status.value == "cancelled"
    assert Product.objects.get(pk=kettle.pk).stock == 5
