"""``manage.py load_demo_data``: a staff user and an ordinary one, every account logging in with
the README's password, and a second load that changes nothing (a password the developer
changed included). Each project's own tests check what its demo shows.

The project's ``demo.seed`` module lists ``DEMO_ACCOUNTS`` (each with a ``username``) and the
``DEMO_PASSWORD``; one of the accounts is ``admin``.
"""

from __future__ import annotations

import importlib
from typing import Any

import pytest
from django.apps import apps
from django.contrib.auth import authenticate, get_user_model
from django.core.management import call_command
from django.test import RequestFactory


def _logs_in(username: str, password: str) -> bool:
    """As a login form would check it: django-axes wants the request it counts failures for."""
    request = RequestFactory().post("/admin/login/")
    return authenticate(request, username=username, password=password) is not None


def _counts() -> dict[str, int]:
    return {
        model._meta.label: model._default_manager.count()
        for model in apps.get_models()
        # Unmanaged models have no table (django-rq's admin-only "Dashboard", with REDIS_URL).
        if model._meta.managed
        and model._meta.app_label not in {"sessions", "admin", "contenttypes", "auth"}
    }


@pytest.mark.django_db
class DemoDataContract:
    """Subclass as ``TestDemoData``."""

    @pytest.fixture
    def seed(self) -> Any:
        return importlib.import_module("demo.seed")  # the project's own demo package

    def test_demo_data_creates_a_staff_user_and_an_ordinary_user(self) -> None:
        call_command("load_demo_data", stdout=None)

        users = get_user_model().objects.all()
        assert users.filter(is_staff=True).exists()
        assert users.filter(is_staff=False).exists()

    def test_every_demo_account_logs_in_with_the_documented_password(self, seed: Any) -> None:
        call_command("load_demo_data")

        for account in seed.DEMO_ACCOUNTS:
            assert _logs_in(account.username, seed.DEMO_PASSWORD), account.username

    def test_loading_demo_data_twice_creates_nothing_twice(self) -> None:
        call_command("load_demo_data")
        first = _counts()

        call_command("load_demo_data")

        assert _counts() == first

    def test_demo_data_leaves_a_changed_password_alone(self) -> None:
        call_command("load_demo_data")
        admin = get_user_model().objects.get(username="admin")
        admin.set_password("changed-by-the-developer")
        admin.save()

        call_command("load_demo_data")

        assert _logs_in("admin", "changed-by-the-developer")
