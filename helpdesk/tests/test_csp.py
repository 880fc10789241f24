"""A strict Content-Security-Policy on every HTML page: the site's, the admin's, the error pages.

Only this site's own files may run or style a page: no inline script without the request's
nonce, no 'unsafe-inline' or 'unsafe-eval', no inline styles; nothing may frame a page and forms
post only here. The policy itself, the login, admin, lockout and CSRF failure pages, and the
templates' scan for style attributes, event handlers and scripts without the nonce are the
shared contract's (``shared.contract.csp``, ``TestContentSecurityPolicy`` in
tests/test_contract.py); here are the help desk's own pages. The browser tests (tests/browser/)
fail on any violation Chromium reports, so the pages must also work under it.
"""

from pathlib import Path

import pytest
from django.test import Client
from django.urls import path
from shared.contract.csp import POLICY, policy_of

from tests.processes import PROJECT_DIR

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("role", "url"),
    [
        ("anonymous", "/accounts/signup/"),
        ("creator", "/tickets/"),
        ("creator", "/tickets/new/"),
        ("creator", "/accounts/password/"),
        ("creator", "/dashboard/"),  # 403
        ("creator", "/tickets/999999/"),  # 404
        ("staff", "/dashboard/"),
        ("staff", "/tickets/{ticket}/"),
    ],
)
def test_every_page_carries_the_policy(role, url, role_client, ticket):
    response = role_client(role).get(url.format(ticket=ticket.pk))

    assert response["Content-Type"].startswith("text/html")
    assert policy_of(response) == POLICY


@pytest.mark.parametrize(
    "url",
    [
        "/admin/tickets/ticket/",
        "/admin/tickets/ticket/{ticket}/change/",
        "/admin/accounts/user/",
    ],
)
def test_every_admin_page_carries_the_policy(url, superuser_client, ticket):
    response = superuser_client.get(url.format(ticket=ticket.pk))

    assert response.status_code == 200
    assert policy_of(response) == POLICY


def _boom(request):
    raise RuntimeError("boom")


urlpatterns = [path("boom/", _boom)]


def test_the_server_error_page_carries_the_policy_and_no_inline_style(settings, staff_user):
    settings.ROOT_URLCONF = __name__
    client = Client(raise_request_exception=False)
    client.force_login(staff_user)

    response = client.get("/boom/")

    assert response.status_code == 500
    assert b"<style" not in response.content
    assert policy_of(response) == POLICY


# --- The templates stay within the policy ---------------------------------------------------

TEMPLATES = sorted((PROJECT_DIR / "templates").rglob("*.html"))


@pytest.mark.parametrize("template", TEMPLATES, ids=lambda t: str(t.relative_to(PROJECT_DIR)))
def test_no_template_has_a_style_element_not_even_with_the_nonce(template: Path):
    """Stricter than the contract, which allows a ``<style>`` carrying the nonce: no page here,
    the 500 page included, needs one."""
    assert "<style" not in template.read_text().lower()
