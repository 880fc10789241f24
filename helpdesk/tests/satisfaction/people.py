"""Users for these tests, typed as the project's user model (the shared factories build
``AbstractUser``s for all three projects)."""

from typing import cast

from shared.factories import StaffUserFactory

from accounts.models import User


def staff_member() -> User:
    return cast("User", StaffUserFactory.create())
