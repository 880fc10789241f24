"""Sign-up, login, logout and password change, on Django's own auth views.

Login throttling is django-axes' job (see settings): its backend refuses a locked-out username
or address before the password is checked, and its middleware answers with the lockout page.
The password change checks the old password the same way (``accounts.forms.PasswordChangeForm``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.messages.views import SuccessMessageMixin
from django.shortcuts import redirect
from django.urls import reverse_lazy
from django.utils.decorators import method_decorator
from django.views.generic import CreateView

from accounts.forms import LoginForm, PasswordChangeForm, SignUpForm
from accounts.models import User

if TYPE_CHECKING:
    from django.http import HttpRequest, HttpResponse, HttpResponseBase


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
        login(self.request, user, backend="django.contrib.auth.backends.ModelBackend")
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
