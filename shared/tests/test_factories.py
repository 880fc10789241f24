import pytest
from django.contrib.auth import authenticate

from shared.factories import DEFAULT_PASSWORD, StaffUserFactory, SuperuserFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_users_get_unique_usernames_and_emails():
    first, second = UserFactory.create_batch(2)

    assert first.username != second.username
    assert first.email != second.email
    assert first.email == f"{first.username}@example.com"


def test_password_is_hashed_for_real_and_authenticates():
    user = UserFactory.create()

    assert user.password != DEFAULT_PASSWORD
    assert user.password.startswith("md5$")  # the test settings' hasher, not plain text
    assert authenticate(username=user.username, password=DEFAULT_PASSWORD) == user


def test_ordinary_user_is_neither_staff_nor_superuser():
    user = UserFactory.create()

    assert (user.is_active, user.is_staff, user.is_superuser) == (True, False, False)


def test_staff_user_is_staff_but_not_superuser():
    user = StaffUserFactory.create()

    assert (user.is_staff, user.is_superuser) == (True, False)


def test_superuser_is_staff_and_superuser():
    user = SuperuserFactory.create()

    assert (user.is_staff, user.is_superuser) == (True, True)


def test_build_does_not_touch_the_database(django_assert_num_queries):
    with django_assert_num_queries(0):
        user = UserFactory.build()

    assert user.pk is None
