"""Browser tests: a real Chromium (shared's ``page`` fixture) against pytest-django's live server.

The live server answers from another thread, so these tests commit for real (a transactional
database, emptied after each test). ``serialized_rollback`` puts back what the migrations
created (the default categories) before each test, and :func:`_migrated_data` once more at the
end of the session, so a reused test database (``--reuse-db`` on PostgreSQL) still has them in
the next run.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.db import connections
from django.test import Client
from playwright.sync_api import Browser, Page

from tests.browser.pages import LoggedIn


@pytest.fixture(scope="session", autouse=True)
def _migrated_data(django_db_setup: None, django_db_blocker: Any) -> Iterator[dict[str, str]]:
    """The test database's contents after migrating, as pytest-django serialized them."""
    saved = {
        alias: contents
        for alias in connections
        if (contents := getattr(connections[alias], "_test_serialized_contents", None))
    }
    yield saved
    with django_db_blocker.unblock():
        for alias, contents in saved.items():
            connections[alias].creation.deserialize_db_from_string(contents)


@pytest.fixture(scope="session")
def chromium(chromium: Browser, _migrated_data: dict[str, str]) -> Browser:
    """shared's Chromium, and Django's connections made ready for it.

    Playwright marks its event loop as running between calls, and Django's connection handler
    is thread-critical: from then on it hands out other connection objects, per async context.
    They need the serialized contents too, or ``serialized_rollback`` silently restores nothing.
    """
    for alias, contents in _migrated_data.items():
        setattr(connections[alias], "_test_serialized_contents", contents)  # noqa: B010
    return chromium


@pytest.fixture(autouse=True)
def _serve_media(settings: Any) -> None:
    settings.ROOT_URLCONF = "tests.browser.urls"


@pytest.fixture
def log_in(page: Page, live_server: Any) -> LoggedIn:
    """Log a user in to the browser without going through the login form."""

    def log_in_as(user: Any) -> None:
        client = Client()
        client.force_login(user)
        session = client.cookies["sessionid"].value
        page.context.add_cookies([{"name": "sessionid", "value": session, "url": live_server.url}])

    return log_in_as
