"""Sign-up, login and logout; the last two are Django's own views with a message added."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.views.generic import CreateView

from accounts.forms import LoginForm, SignUpForm
from accounts.models import User
from config.auth import BACKEND


@method_decorator(login_not_required, name="dispatch")
class SignUpView(CreateView[User, SignUpForm]):
    form_class = SignUpForm
    template_name = "accounts/signup.html"

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.user.is_authenticated:
            return redirect("recipes:list")
        return super().get(request, *args, **kwargs)

    def form_valid(self, form: SignUpForm) -> HttpResponse:
        user = form.save()
        login(self.request, user, backend=BACKEND)
        messages.success(self.request, f"Welcome, {user.username}! Share your first recipe.")
        return HttpResponseRedirect(reverse("recipes:create"))


class LoginView(auth_views.LoginView):
    authentication_form = LoginForm
    template_name = "accounts/login.html"
    redirect_authenticated_user = True

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        messages.success(self.request, f"Welcome back, {form.get_user().username}.")
        return response


class LogoutView(auth_views.LogoutView):
    """POST only (Django's default since 5.0), so a link or an image cannot log anyone out."""

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = super().post(request, *args, **kwargs)
        messages.info(request, "You are logged out.")
        return response
