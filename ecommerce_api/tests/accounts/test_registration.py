"""``POST /api/auth/register/``: a username and/or an e-mail address and a password Django's
validators accept give a new account and its token."""

from __future__ import annotations

import pytest
from django.urls import reverse
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from accounts.models import User

pytestmark = pytest.mark.django_db

URL = reverse("auth-register")
PASSWORD = "a long unusual passphrase"


def _register(client: APIClient | None = None, **body: object):
    return (client or APIClient()).post(URL, body, format="json")


def test_a_username_email_and_password_make_an_account_and_its_token():
    response = _register(username="ada", email="Ada@Example.COM", password=PASSWORD)

    assert response.status_code == 201
    user = User.objects.get()
    assert (user.username, user.email, user.is_active) == ("ada", "Ada@example.com", True)
    assert user.check_password(PASSWORD)
    assert response.json() == {
        "token": Token.objects.get(user=user).key,
        "user": {
            "id": user.pk,
            "username": "ada",
            "email": "Ada@example.com",
            "first_name": "",
            "last_name": "",
            "date_joined": user.date_joined.isoformat().replace("+00:00", "Z"),
        },
    }


def test_the_token_works_at_once():
    token = _register(username="ada", password=PASSWORD).json()["token"]
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")

    assert client.get(reverse("me")).json()["username"] == "ada"


def test_an_email_alone_is_the_username_too():
    response = _register(email="grace@example.com", password=PASSWORD)

    assert response.status_code == 201
    assert response.json()["user"]["username"] == "grace@example.com"


def test_neither_username_nor_email_is_a_400():
    response = _register(password=PASSWORD)

    assert response.status_code == 400
    assert response.json()["errors"] == {
        "username": ["Give a username, an e-mail address, or both."]
    }


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("short", "This password is too short. It must contain at least 8 characters."),
        ("password123", "This password is too common."),
        ("83749201957", "This password is entirely numeric."),
        ("adalovelace1", "The password is too similar to the username."),
    ],
)
def test_a_password_django_refuses_is_a_400_saying_why(password, message):
    response = _register(username="adalovelace", password=password)

    assert response.status_code == 400
    assert message in response.json()["errors"]["password"]
    assert not User.objects.exists()


@pytest.mark.parametrize("email", ["ada@example.com", "ADA@EXAMPLE.COM"])
def test_an_email_address_taken_in_any_case_is_a_400(user, email):
    User.objects.filter(pk=user.pk).update(email="ada@example.com")

    response = _register(username="newcomer", email=email, password=PASSWORD)

    assert response.status_code == 400
    assert response.json()["errors"] == {
        "email": ["An account with this e-mail address already exists."]
    }


def test_a_username_taken_in_any_case_is_a_400(user):
    response = _register(username=user.username.upper(), password=PASSWORD)

    assert response.status_code == 400
    assert response.json()["errors"] == {"username": ["This username is taken."]}


def test_the_database_refuses_two_accounts_with_one_address_in_different_case(user):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.create_user(username="twin", email=user.email.upper())


def test_an_email_that_cannot_be_a_username_asks_for_one():
    response = _register(email="o'brien@example.com", password=PASSWORD)

    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["username"]


def test_a_form_body_is_refused_with_415():
    response = APIClient().post(URL, {"username": "ada", "password": PASSWORD}, format="multipart")

    assert response.status_code == 415


def test_the_sixth_sign_up_from_one_address_in_an_hour_is_a_429():
    statuses = [_register(username=f"user{n}", password=PASSWORD).status_code for n in range(6)]

    assert statuses == [201] * 5 + [429]
    assert User.objects.count() == 5
