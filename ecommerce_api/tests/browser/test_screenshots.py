"""The README's screenshots, taken from the demo data by ``nox -s "screenshots(ecommerce_api)"``.

In an ordinary run the same pages are loaded and checked, and nothing is saved.
"""

from __future__ import annotations

from io import StringIO

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client
from playwright.sync_api import expect
from shared.browser import DESKTOP, PHONE, optimise_png, save_screenshots

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
    (
        "swagger-add-to-cart",
        "/api/docs/#/cart/cart_items_create",
        "#operations-cart-cart_items_create .opblock-body",
        "insufficient_stock",
    ),
    (
        "swagger-order-preview",
        "/api/docs/#/orders/orders_preview_create",
        "#operations-orders-orders_preview_create .opblock-body",
        "accept_available",
    ),
    (
        "browsable-api-product-photos",
        "/api/products/?page_size=2",
        ".response-info pre",
        '"thumbnail": "http://',
    ),
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
    if screenshot_dir is not None and "#" in path:
        _save_deep_link_screenshots(page, name, screenshot_dir, ready)
    elif screenshot_dir is not None:
        save_screenshots(page, name, screenshot_dir)
    assert requests_log.outside(live_server.url) == []


@pytest.mark.usefixtures("demo_data")
def test_the_demo_customers_delivered_order_with_its_history(
    page, live_server, screenshot_dir, requests_log
):
    """The browsable API, logged in as the demo customer: order 1 went through every step."""
    client = Client()
    client.force_login(get_user_model().objects.get(username="customer"))
    session = client.cookies[settings.SESSION_COOKIE_NAME].value
    page.context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": session, "url": live_server.url}]
    )

    page.goto(f"{live_server.url}/api/orders/1/")

    body = page.locator(".response-info pre")
    expect(body).to_contain_text('"status": "delivered"')
    expect(body).to_contain_text('"history"')
    if screenshot_dir is not None:
        save_screenshots(page, "browsable-api-order-history", screenshot_dir)
    assert requests_log.outside(live_server.url) == []


def _save_deep_link_screenshots(page, name, directory, ready):
    """``save_screenshots`` for a Swagger UI deep link: after each reload, wait until Swagger UI
    has scrolled the operation into view and stopped, which the shared helper does not (on a
    busy machine it pictured the page mid-scroll)."""
    directory.mkdir(parents=True, exist_ok=True)
    for label, viewport in (("desktop", DESKTOP), ("phone", PHONE)):
        page.set_viewport_size(viewport)
        page.reload(wait_until="networkidle")
        operation = page.locator(ready).first
        expect(operation).to_be_in_viewport()
        _wait_until_scrolling_stops(page)
        path = directory / f"{name}-{label}.png"
        page.screenshot(path=str(path), full_page=False)
        optimise_png(path)
    page.set_viewport_size(DESKTOP)


def _wait_until_scrolling_stops(page):
    page.wait_for_function(
        """() => new Promise(resolve => {
            let last = window.scrollY, still = 0;
            const tick = () => {
                still = window.scrollY === last ? still + 1 : 0;
                last = window.scrollY;
                still >= 10 ? resolve(true) : requestAnimationFrame(tick);
            };
            requestAnimationFrame(tick);
        })"""
    )
