"""Demo data for a local run: every function is idempotent, so a second load creates nothing."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractUser

DEMO_PASSWORD = "demo-password"  # noqa: S105 - documented in the README, local demo data only


@dataclass(frozen=True)
class DemoAccount:
    username: str
    is_staff: bool = False
    is_superuser: bool = False


DEMO_ACCOUNTS = (
    DemoAccount("admin", is_staff=True, is_superuser=True),
    DemoAccount("cook"),
)


def seed_account(account: DemoAccount) -> AbstractUser:
    """Create the account if it is missing; an existing one keeps its data and password."""
    user, created = get_user_model().objects.get_or_create(
        username=account.username,
        defaults={
            "email": f"{account.username}@example.com",
            "is_staff": account.is_staff,
            "is_superuser": account.is_superuser,
        },
    )
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
    return user


def seed_accounts() -> dict[str, AbstractUser]:
    return {account.username: seed_account(account) for account in DEMO_ACCOUNTS}
