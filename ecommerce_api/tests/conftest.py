from __future__ import annotations

from typing import Any

import pytest
from django.conf import settings
from django.core.cache import caches
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient


@pytest.fixture(autouse=True)
def _clear_cache() -> Any:
    """Throttle counters and cached product lists live in the caches: every test starts with
    none."""
    for alias in settings.CACHES:
        caches[alias].clear()
    yield
    for alias in settings.CACHES:
        caches[alias].clear()


@pytest.fixture
def token(user: Any) -> Token:
    return Token.objects.create(user=user)


@pytest.fixture
def token_client(token: Token) -> APIClient:
    """A client that authenticates as the mobile app does: ``Authorization: Token <key>``."""
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client
