"""The pages still work under the strict Content-Security-Policy, in a real browser.

The ``page`` fixture (shared) fails a test on any policy violation the browser reports, so each
test here both uses a page's scripts and forms and proves the policy blocked none of them.
"""

from __future__ import annotations

import json
import re

import pytest
from playwright.sync_api import Page, expect
from rest_framework.authtoken.models import Token
from shared.factories import DEFAULT_PASSWORD, SuperuserFactory

from orders.models import Order
from tests.factories import OrderLineFactory, ProductFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_swagger_ui_tries_an_operation_with_a_token(page: Page, live_server, user):
    OrderLineFactory(order__customer=user)
    key = Token.objects.create(user=user).key
    page.goto(f"{live_server.url}/api/docs/")

    page.locator(".auth-wrapper").get_by_role("button", name="Authorize").click()
    token_auth = page.locator(".auth-container", has_text="tokenAuth")
    token_auth.locator("input").fill(f"Token {key}")
    token_auth.get_by_role("button", name="Apply credentials").click()
    token_auth.get_by_role("button", name="Close").click()
    operation = page.locator("#operations-orders-orders_list")
    operation.locator(".opblock-summary").click()
    operation.get_by_role("button", name="Try it out").click()
    operation.get_by_role("button", name="Execute").click()

    status = operation.locator(".live-responses-table tbody .response-col_status")
    expect(status).to_have_text("200")
    expect(operation.locator(".live-responses-table .microlight").first).to_contain_text(
        '"count": 1'
    )


def test_the_browsable_api_logs_in_and_posts_an_order_through_its_form(
    page: Page, live_server, user
):
    product = ProductFactory(stock=5)
    page.goto(f"{live_server.url}/api/auth/session/login/?next=/api/orders/")

    page.get_by_label("Username").fill(user.username)
    page.get_by_label("Password").fill(DEFAULT_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name="Order List")).to_be_visible()
    # The scripts at the end of the page have run (on a busy machine the heading shows first).
    page.wait_for_load_state("load")

    # The raw-data form is sent by DRF's JavaScript (jQuery, ajax-form.js, csrf.js).
    body = {"items": [{"product": product.pk, "quantity": 2}]}
    page.locator("#id__content").fill(json.dumps(body))
    page.locator("#post-generic-content-form").get_by_role("button", name="POST").click()

    expect(page.locator(".response-info")).to_contain_text("HTTP 201 Created")
    assert Order.objects.filter(customer=user).count() == 1

    page.get_by_role("link", name=user.username).click()
    page.get_by_role("button", name="Log out").click()
    expect(page.get_by_role("link", name="Log in")).to_be_visible()


def test_the_browsable_apis_filters_open_in_their_dialog(page: Page, live_server):
    ProductFactory(name="Copper kettle")
    page.goto(f"{live_server.url}/api/products/")

    page.get_by_role("button", name="Filters").click()

    expect(page.locator("#filtersModal")).to_be_visible()
    expect(page.locator("#filtersModal select[name=in_stock]")).to_be_visible()


def test_a_locked_out_login_shows_the_lockout_page(page: Page, live_server, user):
    page.goto(f"{live_server.url}/api/auth/session/login/")
    for _ in range(5):
        page.get_by_label("Username").fill(user.username)
        page.get_by_label("Password").fill("not-the-password")
        page.get_by_role("button", name="Log in").click()

    expect(page.get_by_role("heading", name="Too many failed logins")).to_be_visible()
    expect(page.get_by_text(re.compile("paused for 15 minutes"))).to_be_visible()


def test_the_admin_logs_in_and_its_lists_work(page: Page, live_server):
    admin = SuperuserFactory()
    OrderLineFactory()
    Token.objects.create(user=admin)
    page.goto(f"{live_server.url}/admin/")

    page.get_by_label("Username").fill(admin.username)
    page.get_by_label("Password").fill(DEFAULT_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name="Site administration")).to_be_visible()

    page.goto(f"{live_server.url}/admin/orders/order/")
    page.locator("#action-toggle").check()  # the admin's actions.js
    expect(page.locator(".action-counter")).to_contain_text("1 of 1 selected")
    page.goto(f"{live_server.url}/admin/authtoken/tokenproxy/")  # a list without actions
    expect(page.locator("#result_list")).to_contain_text(admin.username)
