"""The API's pages in a real browser: Swagger UI works offline, the browsable API lists products.

Every request the page makes is recorded; one to any host but the live server (a CDN, a font,
the online validator) fails the test, so "works offline" is checked, not assumed.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.factories import ProductFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

OPERATIONS = [
    ("POST", "/api/auth/token/"),
    ("DELETE", "/api/auth/token/"),
    ("POST", "/api/auth/register/"),
    ("POST", "/api/auth/password-reset/"),
    ("POST", "/api/auth/password-reset/confirm/"),
    ("GET", "/api/me/"),
    ("PATCH", "/api/me/"),
    ("DELETE", "/api/me/"),
    ("GET", "/api/alerts/"),
    ("DELETE", "/api/alerts/{id}/"),
    ("POST", "/api/products/{product_id}/alerts/"),
    ("GET", "/api/cart/"),
    ("DELETE", "/api/cart/"),
    ("POST", "/api/cart/items/"),
    ("PATCH", "/api/cart/items/{product_id}/"),
    ("DELETE", "/api/cart/items/{product_id}/"),
    ("GET", "/api/categories/"),
    ("POST", "/api/orders/preview/"),
    ("GET", "/api/orders/"),
    ("POST", "/api/orders/"),
    ("GET", "/api/orders/{id}/"),
    ("POST", "/api/orders/{id}/cancel/"),
    ("GET", "/api/products/"),
    ("GET", "/api/products/{id}/"),
]


def _operations(page: Page) -> list[tuple[str, str]]:
    summaries = page.locator(".opblock-summary")
    expect(summaries).to_have_count(len(OPERATIONS))
    methods = summaries.locator(".opblock-summary-method").all_inner_texts()
    paths = summaries.locator(".opblock-summary-path").all_inner_texts()
    return sorted(zip(methods, (path.replace("\u200b", "") for path in paths), strict=True))


def test_swagger_ui_loads_offline_and_lists_every_endpoint(page, live_server, requests_log):
    page.goto(f"{live_server.url}/api/docs/")
    assert requests_log.outside(live_server.url) == []  # the page's scripts and styles

    expect(page.get_by_role("heading", name=re.compile("Shop API"))).to_be_visible()
    assert _operations(page) == sorted(OPERATIONS)
    page.wait_for_load_state("networkidle")
    assert f"{live_server.url}/api/schema/" in requests_log.urls
    assert requests_log.outside(live_server.url) == []  # and whatever Swagger UI fetched


def test_a_deep_link_opens_the_order_operation_with_its_body_and_errors(page, live_server):
    page.goto(f"{live_server.url}/api/docs/#/orders/orders_create")

    operation = page.locator("#operations-orders-orders_create")
    expect(operation.locator(".opblock-body")).to_be_visible()
    expect(operation.get_by_text("Idempotency-Key", exact=True)).to_be_visible()
    responses = operation.locator(".responses-table .response-col_status")
    expect(responses.filter(has_text=re.compile(r"^409"))).to_have_count(1)
    expect(responses.filter(has_text=re.compile(r"^400"))).to_have_count(1)


def test_the_browsable_api_shows_the_product_list(page, live_server, requests_log):
    kettle = ProductFactory(name="Copper kettle", stock=4)
    ProductFactory(name="Hidden lamp", is_active=False)

    page.goto(f"{live_server.url}/api/products/")

    expect(page).to_have_title("Product List | Shop API")
    expect(page.get_by_role("link", name="Shop API")).to_have_attribute("href", "/api/")
    expect(page.get_by_role("heading", name="Product List")).to_be_visible()
    body = page.locator(".response-info pre")
    expect(body).to_contain_text('"count": 1')
    expect(body).to_contain_text(f'"id": {kettle.pk}')
    expect(body).to_contain_text('"name": "Copper kettle"')
    expect(body).not_to_contain_text("Hidden lamp")
    assert requests_log.outside(live_server.url) == []
