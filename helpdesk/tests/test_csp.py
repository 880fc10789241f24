"""A strict Content-Security-Policy on every HTML page: the site's, the admin's, the error pages.

Only this site's own files may run or style a page: no inline script without the request's
nonce, no 'unsafe-inline' or 'unsafe-eval', no inline styles; nothing may frame a page and forms
post only here. The browser tests (tests/browser/) fail on any violation Chromium reports, so
the pages must also work under it.
"""

import re
from pathlib import Path

import pytest
from django.test import Client
from django.urls import path

from tests.processes import PROJECT_DIR

pytestmark = pytest.mark.django_db

#: The policy, directive by directive, as the README states it.
POLICY = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self' data:",
    "object-src": "'none'",
    "base-uri": "'none'",
    "frame-ancestors": "'none'",
    "form-action": "'self'",
}


def _policy(response) -> dict[str, str]:
    """The header as {directive: sources}; django-csp does not keep the directives' order."""
    policy = {}
    for directive in response["Content-Security-Policy"].split(";"):
        name, _, sources = directive.strip().partition(" ")
        policy[name] = sources
    return policy


def test_the_login_page_carries_exactly_the_documented_policy(client):
    response = client.get("/accounts/login/")

    assert response.status_code == 200
    assert _policy(response) == POLICY


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
    assert _policy(response) == POLICY


@pytest.mark.parametrize(
    "url",
    [
        "/admin/",
        "/admin/tickets/ticket/",
        "/admin/tickets/ticket/{ticket}/change/",
        "/admin/accounts/user/",
        "/admin/password_change/",
    ],
)
def test_every_admin_page_carries_the_policy(url, superuser_client, ticket):
    response = superuser_client.get(url.format(ticket=ticket.pk))

    assert response.status_code == 200
    assert _policy(response) == POLICY


def test_the_lockout_page_carries_the_policy(client, user):
    for _ in range(5):
        response = client.post("/accounts/login/", {"username": user.username, "password": "x"})

    assert response.status_code == 429
    assert _policy(response) == POLICY


def test_the_csrf_failure_page_carries_the_policy_and_no_inline_style(user):
    client = Client(enforce_csrf_checks=True)

    response = client.post("/accounts/login/", {"username": user.username, "password": "x"})

    assert response.status_code == 403
    assert b"This form has expired" in response.content
    assert b"<style" not in response.content
    assert _policy(response) == POLICY


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
    assert _policy(response) == POLICY


# --- The templates stay within the policy ---------------------------------------------------

TEMPLATES = sorted((PROJECT_DIR / "templates").rglob("*.html"))
INLINE_STYLE = re.compile(r"<style|\sstyle=", re.IGNORECASE)
EVENT_HANDLER = re.compile(r"\son[a-z]+\s*=", re.IGNORECASE)
SCRIPT_TAG = re.compile(r"<script\b[^>]*>", re.IGNORECASE)


@pytest.mark.parametrize("template", TEMPLATES, ids=lambda t: str(t.relative_to(PROJECT_DIR)))
def test_templates_have_no_inline_style_no_event_handler_and_no_script_without_nonce(
    template: Path,
):
    html = template.read_text()

    assert not INLINE_STYLE.search(html)
    assert not EVENT_HANDLER.search(html)
    for tag in SCRIPT_TAG.findall(html):
        assert "src=" in tag or 'nonce="{{ request.csp_nonce }}"' in tag, tag
