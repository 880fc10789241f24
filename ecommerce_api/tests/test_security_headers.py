"""The headers the shop's own pages carry: the strict Content-Security-Policy.

The policy is the shared contract's, written out directive by directive, not read back from the
settings (``shared.contract.csp.POLICY``); the contract (``TestContentSecurityPolicy`` and
``TestCsrf`` in tests/test_contract.py) also checks the session and admin logins, the admin,
the lockout page, a refused CSRF check and the templates, and HSTS (``TestProductionSettings``).
Here are the API's HTML pages, the nonce mechanism and the API's shape of a CSRF refusal.
"""

import pytest
from django.urls import reverse
from shared.contract.csp import POLICY, policy_of

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("path", "headers"),
    [
        (reverse("product-list"), {"HTTP_ACCEPT": "text/html"}),  # the browsable API
        (reverse("swagger-ui"), {}),
    ],
    ids=["browsable-api", "swagger-ui"],
)
def test_every_html_page_has_the_strict_policy(client, path, headers):
    response = client.get(path, **headers)

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    assert policy_of(response) == POLICY


def test_the_admins_changelist_with_its_own_template_has_the_strict_policy(superuser_client):
    response = superuser_client.get(reverse("admin:orders_order_changelist"))

    assert response.status_code == 200
    assert policy_of(response) == POLICY


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
    assert policy_of(response)["script-src"] == f"'self' 'nonce-{nonce}'"


def test_a_refused_csrf_check_is_json_in_the_apis_error_shape(user):
    """Django's own CSRF page has an inline <style>; this one is in the API's error shape."""
    from django.test import Client

    client = Client(enforce_csrf_checks=True)

    response = client.post(reverse("admin:login"), {"username": user.username, "password": "x"})

    assert response.status_code == 403
    assert response.json()["code"] == "csrf_failed"
    assert "CSRF cookie not set" in response.json()["detail"]
    assert policy_of(response) == POLICY
