"""factory-boy factories for the user accounts every project has.

The model is resolved through ``AUTH_USER_MODEL`` so the same factory builds each project's own
``accounts.User``. Passwords are hashed for real (``factory.django.Password``), so tests can log in
through the actual login form with :data:`DEFAULT_PASSWORD`.
"""

from __future__ import annotations

import factory
from django.conf import settings
from django.contrib.auth.models import AbstractUser

DEFAULT_PASSWORD = "correct-horse-battery-staple"  # noqa: S105 - test accounts only


class UserFactory(factory.django.DjangoModelFactory[AbstractUser]):
    """An ordinary, active account with a unique username and e-mail address."""

    class Meta:
        model = settings.AUTH_USER_MODEL
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.com")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    password = factory.django.Password(DEFAULT_PASSWORD)
    is_active = True


class StaffUserFactory(UserFactory):
    """A staff member (``is_staff``) without superuser rights."""

    username = factory.Sequence(lambda n: f"staff{n}")
    is_staff = True


class SuperuserFactory(StaffUserFactory):
    """A superuser, for Django admin tests that need every model permission."""

    username = factory.Sequence(lambda n: f"admin{n}")
    is_superuser = True
