"""The headers every page carries: a strict Content-Security-Policy (HSTS for a year is the
shared contract's, tests/test_contract.py).

The policy is asserted as the literal header, not read back from the settings: a change to it
must be a change to this test too.
"""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

POLICY = {
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "object-src 'none'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
    "form-action 'self'",
}


def _directives(header: str) -> set[str]:
    """The policy's directives. Compared as a set: django-csp writes them in an order that
    changes from one process to the next (it iterates over a set), which means nothing."""
    return {directive.strip() for directive in header.split(";")}


@pytest.mark.parametrize(
    ("path", "headers"),
    [
        (reverse("product-list"), {"HTTP_ACCEPT": "text/html"}),  # the browsable API
        (reverse("swagger-ui"), {}),
        (reverse("rest_framework:login"), {}),
        (reverse("admin:login"), {}),
    ],
    ids=["browsable-api", "swagger-ui", "session-login", "admin-login"],
)
def test_every_html_page_has_the_strict_policy(client, path, headers):
    response = client.get(path, **headers)

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    assert _directives(response["Content-Security-Policy"]) == POLICY


def test_the_admin_pages_have_the_strict_policy(superuser_client):
    for path in (reverse("admin:index"), reverse("admin:orders_order_changelist")):
        assert _directives(superuser_client.get(path)["Content-Security-Policy"]) == POLICY


def test_the_lockout_page_has_the_strict_policy(client, user):
    for _ in range(6):
        response = client.post(
            reverse("rest_framework:login"), {"username": user.username, "password": "wrong"}
        )

    assert response.status_code == 429
    assert _directives(response["Content-Security-Policy"]) == POLICY


def test_a_page_with_an_inline_script_gets_a_nonce_in_the_policy(rf):
    """The mechanism for an inline script, should a page ever need one: the nonce the
    template prints joins script-src (django-csp adds it only when a page used it)."""
    from csp.middleware import CSPMiddleware
    from django.http import HttpResponse
    from django.template import engines

    template = engines["django"].from_string('<script nonce="{{ request.csp_nonce }}"></script>')

    def view(request):
        return HttpResponse(template.render(request=request))

    request = rf.get("/")
    response = CSPMiddleware(view)(request)
    assert isinstance(response, HttpResponse)

    nonce = request.csp_nonce
    assert f'nonce="{nonce}"' in response.content.decode()
    assert f"script-src 'self' 'nonce-{nonce}'" in _directives(response["Content-Security-Policy"])


def test_a_refused_csrf_check_is_json_under_the_policy(user):
    """Django's own CSRF page has an inline <style>; this one is in the API's error shape."""
    from django.test import Client

    client = Client(enforce_csrf_checks=True)

    response = client.post(reverse("admin:login"), {"username": user.username, "password": "x"})

    assert response.status_code == 403
    assert response.json()["code"] == "csrf_failed"
    assert "CSRF cookie not set" in response.json()["detail"]
    assert _directives(response["Content-Security-Policy"]) == POLICY
