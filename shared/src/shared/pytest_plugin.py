"""pytest fixtures shared by the three projects (registered through the ``pytest11`` entry point).

Factories are imported inside the fixtures: this module is loaded before pytest-django has
configured Django, and ``UserFactory`` reads ``AUTH_USER_MODEL`` when it is imported.
pytest-django's own ``admin_user``/``admin_client`` are left alone; ``superuser`` is ours.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractUser
    from django.test import Client


def _logged_in_client(user: AbstractUser) -> Client:
    from django.test import Client

    client = Client()
    client.force_login(user)
    return client


@pytest.fixture(autouse=True)
def _media_root(settings: Any, tmp_path: Path) -> Path:
    """Send every uploaded file of every test to a temporary folder, never the real media root."""
    media_root = tmp_path / "media"
    media_root.mkdir()
    settings.MEDIA_ROOT = str(media_root)
    return media_root


@pytest.fixture
def media_root(_media_root: Path) -> Path:
    """The temporary ``MEDIA_ROOT`` of the current test, for assertions on stored files."""
    return _media_root


@pytest.fixture
def user(db: None) -> AbstractUser:
    from shared.factories import UserFactory

    return UserFactory(username="customer")


@pytest.fixture
def other_user(db: None) -> AbstractUser:
    from shared.factories import UserFactory

    return UserFactory(username="other")


@pytest.fixture
def staff_user(db: None) -> AbstractUser:
    from shared.factories import StaffUserFactory

    return StaffUserFactory(username="agent")


@pytest.fixture
def superuser(db: None) -> AbstractUser:
    from shared.factories import SuperuserFactory

    return SuperuserFactory(username="root")


@pytest.fixture
def user_client(user: AbstractUser) -> Client:
    """A test client logged in as :func:`user`."""
    return _logged_in_client(user)


@pytest.fixture
def other_user_client(other_user: AbstractUser) -> Client:
    return _logged_in_client(other_user)


@pytest.fixture
def staff_client(staff_user: AbstractUser) -> Client:
    return _logged_in_client(staff_user)


@pytest.fixture
def superuser_client(superuser: AbstractUser) -> Client:
    return _logged_in_client(superuser)


@pytest.fixture
def api_client() -> Any:
    """An anonymous DRF ``APIClient``.

    Django REST framework is imported here, not at module level, so projects without it can
    load this plugin; only a test that asks for this fixture needs DRF installed.
    """
    from rest_framework.test import APIClient

    return APIClient()


@pytest.fixture
def user_api_client(user: AbstractUser) -> Any:
    """A DRF ``APIClient`` authenticated as :func:`user`, whatever the project's auth classes."""
    from rest_framework.test import APIClient

    client = APIClient()
    client.force_authenticate(user)
    return client
