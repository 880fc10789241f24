import pytest
from django.urls import reverse
from rest_framework.authtoken.models import Token
from shared.factories import DEFAULT_PASSWORD

pytestmark = pytest.mark.django_db

TOKEN_URL = reverse("auth-token")


def test_a_username_and_password_get_the_accounts_token(api_client, user):
    response = api_client.post(TOKEN_URL, {"username": user.username, "password": DEFAULT_PASSWORD})

    assert response.status_code == 200
    assert response.json() == {"token": Token.objects.get(user=user).key}


def test_asking_again_returns_the_same_token(api_client, user):
    credentials = {"username": user.username, "password": DEFAULT_PASSWORD}

    first = api_client.post(TOKEN_URL, credentials).json()

    assert api_client.post(TOKEN_URL, credentials).json() == first


def test_the_token_endpoint_accepts_a_form_too(client, user):
    response = client.post(TOKEN_URL, {"username": user.username, "password": DEFAULT_PASSWORD})

    assert response.status_code == 200


def test_a_wrong_password_is_400_without_a_token(api_client, user):
    response = api_client.post(TOKEN_URL, {"username": user.username, "password": "wrong"})

    assert response.status_code == 400
    assert response.json()["errors"] == {
        "non_field_errors": ["Unable to log in with provided credentials."]
    }
    assert not Token.objects.exists()


def test_an_inactive_account_gets_no_token(api_client, user):
    user.is_active = False
    user.save()

    response = api_client.post(TOKEN_URL, {"username": user.username, "password": DEFAULT_PASSWORD})

    assert response.status_code == 400


def test_a_token_authenticates_requests(api_client, user):
    key = api_client.post(
        TOKEN_URL, {"username": user.username, "password": DEFAULT_PASSWORD}
    ).json()["token"]
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {key}")

    assert api_client.get(reverse("order-list")).status_code == 200


def test_revoking_the_token_signs_the_client_out(token_client, token):
    response = token_client.delete(TOKEN_URL)

    assert response.status_code == 204
    assert not Token.objects.filter(pk=token.pk).exists()
    assert token_client.get(reverse("order-list")).status_code == 401


def test_revoking_needs_authentication(api_client):
    response = api_client.delete(TOKEN_URL)

    assert response.status_code == 401


def test_a_logged_in_browser_can_still_get_a_token_without_a_csrf_token(user):
    """Obtaining a token ignores the session, so it never fails on CSRF."""
    from rest_framework.test import APIClient

    client = APIClient(enforce_csrf_checks=True)
    client.force_login(user)

    response = client.post(TOKEN_URL, {"username": user.username, "password": DEFAULT_PASSWORD})

    assert response.status_code == 200


def test_password_guessing_is_throttled(api_client, user, settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"auth_token": "2/minute", "order_placement": "100/minute"},
    }
    for _ in range(2):
        api_client.post(TOKEN_URL, {"username": user.username, "password": "guess"})

    response = api_client.post(TOKEN_URL, {"username": user.username, "password": DEFAULT_PASSWORD})

    assert response.status_code == 429
    assert response.json()["code"] == "throttled"
    assert int(response["Retry-After"]) > 0
