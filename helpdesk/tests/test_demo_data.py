import pytest
from django.contrib.auth import authenticate, get_user_model
from django.core.management import call_command

from demo.seed import DEMO_ACCOUNTS, DEMO_PASSWORD

pytestmark = pytest.mark.django_db


def _counts() -> dict[str, int]:
    from django.apps import apps

    return {
        model._meta.label: model._default_manager.count()
        for model in apps.get_models()
        if model._meta.app_label not in {"sessions", "admin", "contenttypes", "auth"}
    }


def test_demo_data_creates_a_staff_user_and_an_ordinary_user():
    call_command("load_demo_data", stdout=None)

    users = get_user_model().objects.all()
    assert users.filter(is_staff=True).exists()
    assert users.filter(is_staff=False).exists()


def test_every_demo_account_logs_in_with_the_documented_password():
    call_command("load_demo_data")

    for account in DEMO_ACCOUNTS:
        assert authenticate(username=account.username, password=DEMO_PASSWORD) is not None


def test_loading_demo_data_twice_creates_nothing_twice():
    call_command("load_demo_data")
    first = _counts()

    call_command("load_demo_data")

    assert _counts() == first


def test_demo_data_leaves_a_changed_password_alone():
    call_command("load_demo_data")
    admin = get_user_model().objects.get(username="admin")
    admin.set_password("changed-by-the-developer")
    admin.save()

    call_command("load_demo_data")

    assert authenticate(username="admin", password="changed-by-the-developer") is not None
