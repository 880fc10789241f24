"""Sign-up, login, and the password change the admin uses (the site has no page for it)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms
from django.contrib.auth import authenticate
from django.contrib.auth import forms as auth_forms
from django.contrib.auth.forms import AuthenticationForm, UserCreationForm, UsernameField
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.views.decorators.debug import sensitive_variables

from accounts.models import User

if TYPE_CHECKING:
    from django.http import HttpRequest


class SignUpForm(UserCreationForm[User]):
    """Django's sign-up form (password rules, case-insensitive unique username) for our User."""

    class Meta:
        model = User
        fields = ("username", "email")
        field_classes = {"username": UsernameField}


class BoundedUsernameMixin:
    """For a login form: refuse a username longer than any account's before authenticating.

    Django's ``AuthenticationForm`` sets the field's ``max_length`` after creating it, so only
    the HTML attribute enforces it. A longer name would reach ``authenticate()`` and django-axes,
    which records it in a 255-character column: PostgreSQL refuses the row and the login page
    answered 500. No account has such a name, so refusing it here hides no guess from the
    lockout.
    """

    fields: dict[str, forms.Field]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        username = self.fields["username"]
        username.validators.append(MaxLengthValidator(username.max_length))  # type: ignore[attr-defined]


class LoginForm(BoundedUsernameMixin, AuthenticationForm):
    """The site's login form (see :class:`BoundedUsernameMixin`)."""


class PasswordChangeForm(auth_forms.PasswordChangeForm):
    """Django's password change, with the old password checked like a login.

    Django's form asks ``user.check_password``, which no throttle sees: a stolen session could
    guess the password without limit. Here the old password goes through
    ``django.contrib.auth.authenticate``, so django-axes refuses a locked-out user and counts a
    wrong old password as a failed login (same username, same address, same limit of five).
    """

    def __init__(self, user: User, *args: Any, request: HttpRequest, **kwargs: Any) -> None:
        super().__init__(user, *args, **kwargs)
        self.request = request

    @sensitive_variables("old_password")
    def clean_old_password(self) -> str:
        old_password: str = self.cleaned_data["old_password"]
        checked = authenticate(
            self.request, username=self.user.get_username(), password=old_password
        )
        if checked is None or checked.pk != self.user.pk:
            raise ValidationError(
                self.error_messages["password_incorrect"], code="password_incorrect"
            )
        return old_password
