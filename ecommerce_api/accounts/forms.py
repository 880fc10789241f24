from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.contrib.auth import authenticate
from django.contrib.auth import forms as auth_forms
from django.core.exceptions import ValidationError
from django.views.decorators.debug import sensitive_variables

if TYPE_CHECKING:
    from django.http import HttpRequest

    from accounts.models import User


class PasswordChangeForm(auth_forms.PasswordChangeForm):
    """Django's password change, with the old password checked like a login.

    Django's form asks ``user.check_password``, which no lockout sees: a stolen session could
    guess the password without limit. Here the old password goes through
    ``django.contrib.auth.authenticate``, so django-axes refuses a locked-out user and counts a
    wrong old password as a failed login (same username, same address, same limit of five).
    The admin's "change password" uses it (``config.admin``).
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
