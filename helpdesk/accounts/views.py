"""Sign-up, login, logout, password change and reset, notification choices.

Login throttling is django-axes' job (see settings): its backend refuses a locked-out username
or address before the password is checked, and its middleware answers with the lockout page.
The password change checks the old password the same way (``accounts.forms.PasswordChangeForm``).

The password reset is Django's four views. The request form is throttled per client address
and per typed address (``accounts.throttle``) and only enqueues
``accounts.tasks.send_password_reset``: a known and an unknown address get the same page after
the same work, so the form tells no one which addresses have accounts.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any, Final

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.forms import PasswordResetForm as DjangoPasswordResetForm
from django.contrib.messages.views import SuccessMessageMixin
from django.shortcuts import redirect
from django.urls import reverse_lazy
from django.utils.decorators import method_decorator
from django.views.generic import CreateView, UpdateView

from accounts import tasks, throttle
from accounts.forms import (
    LoginForm,
    NotificationPreferencesForm,
    PasswordChangeForm,
    PasswordResetForm,
    SignUpForm,
)
from accounts.http import AuthenticatedHttpRequest
from accounts.models import User
from config.auth import BACKEND
from config.client_ip import client_ip
from config.queue import enqueue_on_commit

#: Reset requests one client address may make per hour; the README states these numbers.
RESET_LIMIT_PER_CLIENT: Final = 10
#: Reset e-mails one typed address may cause per hour (known or not: the same rule for both).
RESET_LIMIT_PER_EMAIL: Final = 3
RESET_WINDOW_SECONDS: Final = 60 * 60

if TYPE_CHECKING:
    from django.http import HttpRequest, HttpResponse, HttpResponseBase

logger = logging.getLogger(__name__)


@method_decorator(login_not_required, name="dispatch")
class SignUpView(CreateView[User, SignUpForm]):
    form_class = SignUpForm
    template_name = "accounts/signup.html"

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if request.user.is_authenticated:
            return redirect("tickets:home")
        return super().dispatch(request, *args, **kwargs)

    def form_valid(self, form: SignUpForm) -> HttpResponse:
        user = form.save()
        login(self.request, user, backend=BACKEND)
        messages.success(self.request, f"Welcome, {user.get_username()}! Your account is ready.")
        return redirect("tickets:list")


class LoginView(auth_views.LoginView):
    authentication_form = LoginForm
    template_name = "accounts/login.html"
    redirect_authenticated_user = True

    def form_valid(self, form: AuthenticationForm) -> HttpResponse:
        response = super().form_valid(form)
        messages.success(self.request, f"Welcome back, {form.get_user().get_username()}.")
        return response


class LogoutView(auth_views.LogoutView):
    """Log out on POST only (Django refuses GET), then say so on the login page."""

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = super().post(request, *args, **kwargs)
        messages.info(request, "You have been logged out.")
        return response


class PasswordChangeView(SuccessMessageMixin[PasswordChangeForm], auth_views.PasswordChangeView):
    """Change the password; a wrong old password counts toward the login lockout."""

    form_class = PasswordChangeForm
    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("tickets:home")
    success_message = "Your password has been changed."

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "request": self.request}


class PasswordResetView(auth_views.PasswordResetView):
    """Ask for a reset link: throttled, and the same answer for every address.

    Past :data:`RESET_LIMIT_PER_CLIENT` requests an hour from one client address the form is
    shown again with an error (429). Past :data:`RESET_LIMIT_PER_EMAIL` for one typed address
    the visitor sees the usual "check your inbox" page and nothing is sent: that limit is about
    protecting the address's owner from a flood, and answering differently would tell whoever
    typed it nothing true anyway, since unknown addresses are counted alike.
    """

    form_class = PasswordResetForm
    template_name = "accounts/password_reset_form.html"

    def form_valid(self, form: DjangoPasswordResetForm) -> HttpResponse:
        if not throttle.allow(
            "password-reset-client",
            client_ip(self.request),
            limit=RESET_LIMIT_PER_CLIENT,
            window_seconds=RESET_WINDOW_SECONDS,
        ):
            form.add_error(None, "Too many reset requests from your network. Try again later.")
            response = self.form_invalid(form)
            response.status_code = 429
            return response
        email: str = form.cleaned_data["email"]
        if throttle.allow(
            "password-reset-email",
            email.strip().casefold(),
            limit=RESET_LIMIT_PER_EMAIL,
            window_seconds=RESET_WINDOW_SECONDS,
        ):
            enqueue_on_commit(tasks.send_password_reset, email=email)
        else:
            logger.info("Password reset not sent: too many requests for one address.")
        return redirect(self.get_success_url())


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "accounts/password_reset_done.html"


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    """Set a new password from the e-mailed link.

    Django moves the token from the URL into the session and redirects to a URL without it,
    so the page's links and any Referer carry no token (``SECURE_REFERRER_POLICY`` is
    ``same-origin`` besides).
    """

    template_name = "accounts/password_reset_confirm.html"


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "accounts/password_reset_complete.html"


class NotificationPreferencesView(
    SuccessMessageMixin[NotificationPreferencesForm],
    UpdateView[User, NotificationPreferencesForm],
):
    """Turn each kind of e-mail on or off, for oneself only (the object is the request's user)."""

    request: AuthenticatedHttpRequest
    form_class = NotificationPreferencesForm
    template_name = "accounts/notifications.html"
    success_url = reverse_lazy("notifications")
    success_message = "Your e-mail choices are saved."

    def get_object(self, queryset: Any = None) -> User:
        return self.request.user
