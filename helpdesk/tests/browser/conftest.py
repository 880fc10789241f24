"""Helpers for the browser tests: more browser tabs with their own cookies, and logging in.

The ``chromium`` and ``page`` fixtures (the system Chromium through Playwright) come from the
shared pytest plugin; every test here runs against pytest-django's ``live_server``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING

import pytest
from shared.browser import DESKTOP, CspViolations
from shared.factories import DEFAULT_PASSWORD

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page


@pytest.fixture
def new_page(chromium: Browser) -> Iterator[Callable[[], Page]]:
    """Make more tabs, each in its own browser context: one per person in a journey.

    Like the shared ``page`` fixture, each tab fails the test on any Content-Security-Policy
    violation the browser reports.
    """
    contexts = []
    watched: list[CspViolations] = []

    def make() -> Page:
        context = chromium.new_context(viewport=DESKTOP, locale="en-US")
        context.set_default_timeout(10_000)
        contexts.append(context)
        tab = context.new_page()
        watched.append(CspViolations.watch(tab))
        return tab

    yield make
    for context in contexts:
        context.close()
    for violations in watched:
        violations.assert_none()


@pytest.fixture
def log_in(live_server) -> Callable[..., None]:
    """Log ``page`` in through the real login form and wait for the welcome message."""
    from playwright.sync_api import expect

    def log_in(page: Page, username: str, password: str = DEFAULT_PASSWORD) -> None:
        page.goto(f"{live_server.url}/accounts/login/")
        page.get_by_label("Username").fill(username)
        page.get_by_label("Password").fill(password)
        page.get_by_role("button", name="Log in").click()
        expect(page.get_by_text(f"Welcome back, {username}.")).to_be_visible()

    return log_in
