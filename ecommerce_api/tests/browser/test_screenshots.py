"""The README's screenshots, taken from the demo data by ``nox -s "screenshots(ecommerce_api)"``.

In an ordinary run the same pages are loaded and checked, and nothing is saved.
"""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from playwright.sync_api import expect
from shared.browser import save_screenshots

pytestmark = [
    pytest.mark.browser,
    pytest.mark.screenshots,
    # Sequences reset, so the pictured ids are those of a fresh database (as in the README).
    pytest.mark.django_db(transaction=True, reset_sequences=True),
]

# name, path, a locator that shows the page is ready, and the text it must contain.
SCREENS = [
    ("swagger-ui", "/api/docs/", '[data-path="/api/products/{id}/"]', "products"),
    (
        "swagger-place-an-order",
        "/api/docs/#/orders/orders_create",
        "#operations-orders-orders_create .opblock-body",
        "Idempotency-Key",
    ),
    ("browsable-api-products", "/api/products/", ".response-info pre", '"count": 48'),
]


@pytest.fixture
def demo_data() -> None:
    call_command("load_demo_data", stdout=StringIO())


@pytest.mark.usefixtures("demo_data")
@pytest.mark.parametrize(("name", "path", "ready", "text"), SCREENS, ids=[s[0] for s in SCREENS])
def test_key_screen(page, live_server, screenshot_dir, requests_log, name, path, ready, text):
    page.goto(f"{live_server.url}{path}")

    expect(page.locator(ready).first).to_be_visible()
    expect(page.locator(ready).first).to_contain_text(text)
    if screenshot_dir is not None:
        save_screenshots(page, name, screenshot_dir)
    assert requests_log.outside(live_server.url) == []
