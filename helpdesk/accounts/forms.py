from __future__ import annotations

import secrets
import unicodedata
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any, Final

from django import forms
from django.contrib.auth import authenticate
from django.contrib.auth import forms as auth_forms
from django.contrib.auth.forms import AuthenticationForm, UserCreationForm, UsernameField
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.template.loader import render_to_string
from django.views.decorators.debug import sensitive_variables

from accounts.models import STAFF_NOTIFICATIONS, NotificationKind, User
from mail.services import queue_email
from tickets.emails import header_text

if TYPE_CHECKING:
    from django.http import HttpRequest

#: Characters a password reset e-mail's subject may have.
SUBJECT_LENGTH: Final = 100


class SignUpForm(UserCreationForm[User]):
    """Sign-up for customers: the fields it lists are all a visitor can set.

    Staff and superuser flags are not among them, so every account made here is ordinary.
    """

    class Meta:
        model = User
        fields = ["username", "email"]
        field_classes = {"username": UsernameField}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["email"].required = True
        self.fields["email"].help_text = "Replies to your tickets are sent here."


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


class NotificationPreferencesForm(forms.ModelForm[User]):
    """The e-mails a user gets, one checkbox per kind they can receive.

    Staff get every kind (they open tickets too); customers only the kinds about their own
    tickets. The fields a user cannot receive are not on the form, so they cannot be posted.
    """

    class Meta:
        model = User
        fields = [kind.value for kind in NotificationKind]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not self.instance.is_staff:
            for kind in STAFF_NOTIFICATIONS:
                del self.fields[kind.value]


class PasswordResetForm(auth_forms.PasswordResetForm):
    """Django's password reset, with the e-mail put in the outbox and sent by a worker.

    ``get_users`` includes accounts without a usable password: an account created from an
    inbound e-mail has none, and the reset link is how its owner claims it. Inactive accounts
    stay excluded (a deactivated user must not reactivate themselves by e-mail).
    """

    def get_users(self, email: str) -> Iterator[User]:
        email_field_name = User.get_email_field_name()
        candidates = User._default_manager.filter(
            **{f"{email_field_name}__iexact": email, "is_active": True}
        )
        normalized = _casefold(email)
        return (u for u in candidates if _casefold(getattr(u, email_field_name)) == normalized)

    def send_mail(
        self,
        subject_template_name: str,
        email_template_name: str,
        context: dict[str, Any],
        from_email: str | None,
        to_email: str,
        html_email_template_name: str | None = None,
    ) -> None:
        subject = header_text(
            render_to_string(subject_template_name, context), max_length=SUBJECT_LENGTH
        )
        body = render_to_string(email_template_name, context)
        html_body = (
            render_to_string(html_email_template_name, context) if html_email_template_name else ""
        )
        queue_email(
            event_key=f"password-reset-{secrets.token_hex(16)}",
            to=to_email,
            subject=subject,
            body=body,
            html_body=html_body,
        )


def _casefold(value: str) -> str:
    return unicodedata.normalize("NFKC", value).casefold()
