"""Helpers for following a rating link from an e-mail with the test client."""

import re
from urllib.parse import urlsplit


def path_of(url: str) -> str:
    """The path and query of an absolute link, as the test client requests it."""
    parts = urlsplit(url)
    return f"{parts.path}?{parts.query}" if parts.query else parts.path


def token_of(url: str) -> str:
    """The token in a rating link (``/rate/<token>/?score=...``)."""
    return urlsplit(url).path.rstrip("/").rsplit("/", 1)[1]


def csrf_token_of(page: str) -> str:
    """The CSRF token a rendered form carries, as a browser would post it back."""
    match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    if match is None:
        raise AssertionError("The page has no CSRF-protected form.")
    return match.group(1)
