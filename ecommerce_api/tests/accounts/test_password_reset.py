"""Password reset through the API: ask (the same answer for every address), get the e-mail from
the worker over SMTP, confirm with its uid and token."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth.tokens import default_token_generator
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from accounts.models import User
from notifications.models import OutboundEmail

pytestmark = pytest.mark.django_db

REQUEST = reverse("auth-password-reset")
CONFIRM = reverse("auth-password-reset-confirm")
NEW_PASSWORD = "an entirely new passphrase"


def _ask(email: str, ip: str = "10.0.0.1"):
    return APIClient().post(REQUEST, {"email": email}, format="json", REMOTE_ADDR=ip)


def _confirm(**body: str):
    return APIClient().post(CONFIRM, body, format="json")


def _uid(user: User) -> str:
    return urlsafe_base64_encode(force_bytes(user.pk))


def test_reset_end_to_end_through_the_email(
    user, token, smtp_server, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        asked = _ask("CUSTOMER@example.com")

    assert asked.status_code == 202
    (message,) = smtp_server.wait_for(1)
    assert message["To"] == "customer@example.com"
    assert message["Subject"] == "Reset your password"
    body = message.get_content()
    found = re.search(r"uid (\S+), token (\S+)", body)
    assert found is not None
    uid, reset_token = found.groups()
    assert f"shop://password-reset?uid={uid}&token={reset_token}" in body
    assert "for 1 hour" in body

    confirmed = _confirm(uid=uid, token=reset_token, new_password=NEW_PASSWORD)

    assert confirmed.status_code == 200
    assert confirmed.json() == {
        "detail": "Your password has been changed; log in with the new one."
    }
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
    assert not Token.objects.filter(pk=token.pk).exists()  # every device signed out
    login = APIClient().post(
        reverse("auth-token"), {"username": "customer", "password": NEW_PASSWORD}, format="json"
    )
    assert login.status_code == 200
    again = _confirm(uid=uid, token=reset_token, new_password="yet another passphrase")
    assert again.status_code == 400  # a token works once


def test_known_and_unknown_addresses_get_identical_answers(user):
    known = _ask("customer@example.com")
    unknown = _ask("nobody@example.com")

    assert (known.status_code, known.content) == (unknown.status_code, unknown.content)
    assert sorted(known.headers) == sorted(unknown.headers)
    assert known.json() == {
        "detail": "If an account uses this address, we have sent it an e-mail with a link to "
        "reset the password."
    }
    assert list(OutboundEmail.objects.values_list("recipient", flat=True)) == [user.email]


@pytest.mark.parametrize("state", ["inactive", "no_password"])
def test_an_inactive_account_or_one_without_a_password_gets_no_email(user, state):
    if state == "inactive":
        user.is_active = False
    else:
        user.set_unusable_password()
    user.save()

    assert _ask(user.email).status_code == 202
    assert not OutboundEmail.objects.exists()


def test_a_malformed_address_is_a_400():
    response = _ask("not an address")

    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["email"]


@pytest.mark.parametrize(
    "tamper",
    [
        lambda uid, token: {"uid": uid, "token": token[:-1] + ("a" if token[-1] != "a" else "b")},
        lambda uid, token: {"uid": "bm90LWEtbnVtYmVy", "token": token},
        lambda uid, token: {"uid": "%%%", "token": token},
        lambda uid, token: {"uid": urlsafe_base64_encode(b"99999999999999999999"), "token": token},
    ],
    ids=["wrong token", "uid not a number", "uid not base64", "uid too large"],
)
def test_a_wrong_uid_or_token_is_a_400_and_changes_nothing(user, tamper):
    body = tamper(_uid(user), default_token_generator.make_token(user))

    response = _confirm(**body, new_password=NEW_PASSWORD)

    assert response.status_code == 400
    assert response.json()["errors"] == {
        "token": ["This reset link is invalid or has expired; ask for a new one."]
    }
    user.refresh_from_db()
    assert not user.check_password(NEW_PASSWORD)


def test_a_new_password_django_refuses_is_a_400(user):
    response = _confirm(
        uid=_uid(user), token=default_token_generator.make_token(user), new_password="12345678"
    )

    assert response.status_code == 400
    assert "This password is too common." in response.json()["errors"]["new_password"]


def test_a_token_expires_after_an_hour(user, settings):
    assert settings.PASSWORD_RESET_TIMEOUT == 3600
    token = default_token_generator.make_token(user)
    settings.PASSWORD_RESET_TIMEOUT = -1  # as if the hour had passed

    response = _confirm(uid=_uid(user), token=token, new_password=NEW_PASSWORD)

    assert response.status_code == 400


def test_the_fourth_request_for_one_address_in_an_hour_is_a_429_from_any_client(user):
    statuses = [_ask("customer@example.com", ip=f"10.0.0.{n}").status_code for n in range(4)]

    assert statuses == [202, 202, 202, 429]
    assert OutboundEmail.objects.count() == 3


def test_unknown_addresses_are_limited_alike(db):
    statuses = [_ask("nobody@example.com", ip=f"10.0.1.{n}").status_code for n in range(4)]

    assert statuses == [202, 202, 202, 429]


def test_the_eleventh_request_from_one_client_in_an_hour_is_a_429(db):
    statuses = [_ask(f"person{n}@example.com").status_code for n in range(11)]

    assert statuses == [202] * 10 + [429]
