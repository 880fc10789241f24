"""What the browser tests share: their marks, logging in, and checking that an image loaded."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import Locator

# A real browser against the live server: the server thread needs committed data.
BROWSER_TEST = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

LoggedIn = Callable[[Any], None]


def assert_image_loaded(image: Locator) -> None:
    """Wait until the <img> has loaded, and fail if the browser could not decode it.

    ``naturalWidth`` stays 0 for a broken image (a 404, or bytes that are not an image).
    """
    image.scroll_into_view_if_needed()
    handle = image.element_handle()
    image.page.wait_for_function("img => img.complete", arg=handle)
    assert image.evaluate("img => img.naturalWidth") > 0  # noqa: S101 - a test helper
