"""Helpers for the browser tests: which hosts a page talked to."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Page


class RequestLog:
    """Every URL the page requested, recorded from Playwright's ``request`` event."""

    def __init__(self, page: Page) -> None:
        self.urls: list[str] = []
        page.on("request", lambda request: self.urls.append(request.url))

    def outside(self, origin: str) -> list[str]:
        """The requests that went anywhere but ``origin`` (inline ``data:`` URLs are local)."""
        allowed = urlsplit(origin).netloc
        return [
            url
            for url in self.urls
            if urlsplit(url).scheme != "data" and urlsplit(url).netloc != allowed
        ]


@pytest.fixture
def requests_log(page: Page) -> RequestLog:
    return RequestLog(page)
