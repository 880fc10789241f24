"""Accounts the customers manage themselves: signing up, resetting a forgotten password, and
closing the account.

Each is one function run in one transaction. A reset e-mail goes through the outbox
(``notifications``), written in the same transaction; the request never talks to the mail
server.
"""

from __future__ import annotations

import secrets

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.db import IntegrityError, transaction
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from rest_framework.authtoken.models import Token

from accounts.models import User
from alerts.models import StockAlert
from cart.models import Cart
from notifications.models import OutboundEmail
from notifications.services import queue_email


class AccountTaken(Exception):
    """Another account has just taken this username or e-mail address."""


def register(*, username: str, email: str, password: str) -> tuple[User, Token]:
    """Create an active customer account and its API token. The caller has validated the
    input (the password through Django's validators); the database refuses a taken username
    or e-mail address all the same."""
    try:
        with transaction.atomic():
            user = User.objects.create_user(username=username, email=email, password=password)
            token = Token.objects.create(user=user)
    except IntegrityError as exc:  # a simultaneous sign-up took the username or the address
        raise AccountTaken from exc
    return user, token


def find_account_for_reset(email: str) -> User | None:
    """The one active account with a usable password at ``email`` (any capitalisation)."""
    user = User.objects.filter(email__iexact=email.strip(), is_active=True).first()
    if user is None or not user.has_usable_password():
        return None
    return user


def request_password_reset(*, email: str) -> None:
    """E-mail the account at ``email`` a reset token, if there is one; otherwise do nothing.

    The caller answers the same either way, so the API never says whether an address has an
    account. The token (Django's ``default_token_generator``) stops working once the password
    changes, once the user logs in again, and after ``PASSWORD_RESET_TIMEOUT``.
    """
    user = find_account_for_reset(email)
    if user is None:
        return
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    timeout: int = settings.PASSWORD_RESET_TIMEOUT
    link = settings.PASSWORD_RESET_LINK.format(uid=uid, token=token)
    with transaction.atomic():
        queue_email(
            # Each request is its own e-mail; the per-address throttle bounds how many.
            event_key=f"password-reset-{user.pk}-{secrets.token_hex(8)}",
            to=user.email,
            subject="Reset your password",
            body=(
                f"Hello {user.get_username()},\n\n"
                "Someone (we hope you) asked to reset the password of your shop account. "
                f"Open this link in the app to choose a new one:\n\n{link}\n\n"
                f"Or enter these in the app: uid {uid}, token {token}\n\n"
                f"The link works once, for {_hours(timeout)}. If you did not ask for it, "
                "ignore this e-mail: your password stays as it is.\n"
            ),
        )


def reset_password(*, user: User, new_password: str) -> None:
    """Set the new password (already validated) and sign out every device: the API token is
    deleted, as a stolen one is a reason to reset."""
    with transaction.atomic():
        user.set_password(new_password)
        user.save(update_fields=["password"])
        Token.objects.filter(user=user).delete()


def close_account(*, user: User) -> None:
    """Delete what identifies ``user`` and keep the orders, for the shop's books.

    The account stays as an inactive row (orders refer to it) with its name, e-mail and
    username replaced and no usable password; its token, cart, alerts, queued e-mails and login
    records go. Nobody can log in to it again, and nothing left says who it was.
    """
    with transaction.atomic():
        old_username, old_email = user.get_username(), user.email
        Token.objects.filter(user=user).delete()
        Cart.objects.filter(customer=user).delete()
        StockAlert.objects.filter(user=user).delete()
        if old_email:
            OutboundEmail.objects.filter(recipient__iexact=old_email).delete()
        for record in (AccessAttempt, AccessLog, AccessFailureLog):
            record.objects.filter(username=old_username).delete()
        user.username = f"deleted-{user.pk}"
        user.email = ""
        user.first_name = ""
        user.last_name = ""
        user.is_active = False
        user.set_unusable_password()
        user.save()


def _hours(seconds: int) -> str:
    hours = max(seconds // 3600, 1)
    return "1 hour" if hours == 1 else f"{hours} hours"
