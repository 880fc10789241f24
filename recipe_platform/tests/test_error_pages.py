import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.test import Client, RequestFactory
from django.views import defaults
from pytest_django.asserts import assertContains

from config.error_pages import server_error

pytestmark = pytest.mark.django_db


def test_404_is_friendly_and_offers_a_search(client):
    response = client.get("/no/such/page/")

    assertContains(response, "We could not find that page", status_code=404)
    assertContains(response, 'role="search"', status_code=404)


def test_403_is_friendly():
    request = RequestFactory().get("/")
    request.user = AnonymousUser()

    response = defaults.permission_denied(request, PermissionDenied())

    assertContains(response, "You cannot do that", status_code=403)


def test_the_500_page_before_the_csp_middleware_ran_has_an_empty_nonce():
    """The handler passes the CSP nonce only; before CSPMiddleware ran there is none. That the
    500 needs no database and no context is the contract's (``TestServerError``)."""
    response = server_error(RequestFactory().get("/"))

    assertContains(response, '<style nonce="">', status_code=500)


def test_a_form_without_its_csrf_token_gets_a_friendly_403(user):
    client = Client(enforce_csrf_checks=True)

    response = client.post("/accounts/login/", {"username": user.username, "password": "x"})

    assertContains(response, "This form has expired", status_code=403)
