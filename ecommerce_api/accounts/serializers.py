from __future__ import annotations

from typing import Any

from django.contrib.auth.password_validation import validate_password
from django.contrib.auth.tokens import default_token_generator
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.http import urlsafe_base64_decode
from django.views.decorators.debug import sensitive_variables
from rest_framework import serializers
from rest_framework.authtoken.serializers import AuthTokenSerializer

from accounts.models import User

#: The user model's (Django's AbstractUser's) username length.
USERNAME_MAX_LENGTH = 150
#: The user model's e-mail length (Django's EmailField default).
EMAIL_MAX_LENGTH = 254
#: Far beyond any real password, and short enough that hashing a guess costs nothing unusual.
MAX_PASSWORD_LENGTH = 4096


class TokenRequestSerializer(AuthTokenSerializer):
    """DRF's username-and-password check (through ``authenticate()``, so django-axes counts
    it), with lengths bounded before anything is looked up or recorded.

    DRF's fields take any length: a 5,000-character username went on into django-axes' record
    of the failure, a ``varchar(255)`` that PostgreSQL refuses with a 500.
    """

    username = serializers.CharField(
        label="Username",
        write_only=True,
        max_length=USERNAME_MAX_LENGTH,
    )
    password = serializers.CharField(
        label="Password",
        style={"input_type": "password"},
        trim_whitespace=False,
        write_only=True,
        max_length=MAX_PASSWORD_LENGTH,
    )


class RegistrationSerializer(serializers.Serializer[Any]):
    """A new customer: a username, an e-mail address, or both, and a password.

    With only an e-mail address, the address is the username too (so it logs in with it). The
    password goes through Django's validators (``AUTH_PASSWORD_VALIDATORS``), with the username
    and e-mail known, so "similar to your username" is caught.
    """

    username = serializers.CharField(
        required=False,
        max_length=USERNAME_MAX_LENGTH,
        validators=[UnicodeUsernameValidator()],
        help_text="Letters, digits and @ . + - _ only. Defaults to the e-mail address.",
    )
    email = serializers.EmailField(
        required=False, max_length=EMAIL_MAX_LENGTH, help_text="For order e-mails and resets."
    )
    password = serializers.CharField(
        write_only=True,
        trim_whitespace=False,
        max_length=MAX_PASSWORD_LENGTH,
        style={"input_type": "password"},
    )

    def validate_username(self, username: str) -> str:
        return _available_username(username)

    def validate_email(self, email: str) -> str:
        return _available_email(email)

    @sensitive_variables("attrs")
    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        email = attrs.get("email", "")
        username = attrs.get("username", "")
        if not username:
            if not email:
                raise serializers.ValidationError(
                    {"username": ["Give a username, an e-mail address, or both."]}
                )
            # The address becomes the username: it must also be a valid, free username.
            try:
                username = _available_username(email)
                if len(username) > USERNAME_MAX_LENGTH:
                    raise serializers.ValidationError("Too long for a username.")
                UnicodeUsernameValidator()(username)
            except (serializers.ValidationError, DjangoValidationError) as error:
                raise serializers.ValidationError(
                    {"username": ["This e-mail address cannot be a username; give a username."]}
                ) from error
        try:
            validate_password(attrs["password"], user=User(username=username, email=email))
        except DjangoValidationError as error:
            raise serializers.ValidationError({"password": list(error.messages)}) from error
        return {"username": username, "email": email, "password": attrs["password"]}


class ProfileSerializer(serializers.ModelSerializer[User]):
    """The signed-in customer's own account. The username is how they log in: fixed here."""

    email = serializers.EmailField(required=False, allow_blank=True, max_length=EMAIL_MAX_LENGTH)

    class Meta:
        model = User
        fields = ["id", "username", "email", "first_name", "last_name", "date_joined"]
        read_only_fields = ["id", "username", "date_joined"]

    def validate_email(self, email: str) -> str:
        return _available_email(email, exclude=self.instance)


class PasswordConfirmationSerializer(serializers.Serializer[Any]):
    """The current password, asked again before closing the account."""

    password = serializers.CharField(
        write_only=True,
        trim_whitespace=False,
        max_length=MAX_PASSWORD_LENGTH,
        style={"input_type": "password"},
    )


class PasswordResetRequestSerializer(serializers.Serializer[Any]):
    email = serializers.EmailField(max_length=EMAIL_MAX_LENGTH)


class PasswordResetConfirmSerializer(serializers.Serializer[Any]):
    """The uid and token from the reset e-mail, and the new password (Django's validators)."""

    uid = serializers.CharField(max_length=64)
    token = serializers.CharField(max_length=128)
    new_password = serializers.CharField(
        write_only=True,
        trim_whitespace=False,
        max_length=MAX_PASSWORD_LENGTH,
        style={"input_type": "password"},
    )

    INVALID_LINK = "This reset link is invalid or has expired; ask for a new one."

    @sensitive_variables("attrs")
    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        user = _user_from_uid(attrs["uid"])
        if user is None or not default_token_generator.check_token(user, attrs["token"]):
            raise serializers.ValidationError({"token": [self.INVALID_LINK]}, code="invalid_link")
        try:
            validate_password(attrs["new_password"], user=user)
        except DjangoValidationError as error:
            raise serializers.ValidationError({"new_password": list(error.messages)}) from error
        return {"user": user, "new_password": attrs["new_password"]}


def _user_from_uid(uid: str) -> User | None:
    """The active account a reset link's ``uid`` names, or ``None`` for anything else."""
    try:
        pk = int(urlsafe_base64_decode(uid).decode())
    except (ValueError, UnicodeDecodeError, OverflowError):
        return None
    if not 0 < pk < 2**63:
        return None
    return User.objects.filter(pk=pk, is_active=True).first()


def _available_username(username: str) -> str:
    """``username`` if no account has it in any capitalisation: two accounts told apart only
    by case would confuse people and support alike."""
    if User.objects.filter(username__iexact=username).exists():
        raise serializers.ValidationError("This username is taken.", code="taken")
    return username


def _available_email(email: str, *, exclude: User | None = None) -> str:
    """``email`` if no other account uses it, in any capitalisation (the database agrees:
    ``accounts_user_unique_email_ci``)."""
    email = User.objects.normalize_email(email)
    if not email:
        return email
    taken = User.objects.filter(email__iexact=email)
    if exclude is not None:
        taken = taken.exclude(pk=exclude.pk)
    if taken.exists():
        raise serializers.ValidationError(
            "An account with this e-mail address already exists.", code="taken"
        )
    return email
