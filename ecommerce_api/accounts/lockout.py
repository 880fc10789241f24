"""What a client locked out by django-axes is told, in the language of the door it knocked on.

django-axes counts every failed password check (``AXES_*`` in the settings) and flags the
request once the limit is reached. A login form (the browsable API's, the admin's) is then
answered by :func:`lockout_response`, through ``AXES_LOCKOUT_CALLABLE``: a page that says what
happened and when to come back, with status 429 and ``Retry-After``. The token endpoint answers
in the API's error shape itself (:class:`config.api_errors.LockedOut`), because a mobile app
reads JSON, not a page.

Every attempt during the lockout, right password or wrong, counts as a failure and starts the
cool-off again, so ``Retry-After`` is the whole cool-off from now.

django-axes records each failure with the username that was tried, in a ``varchar(255)``.
Django's login form does not enforce the username's length (it only sets the input's
``maxlength``), so a 5,000-character guess reached that column, which PostgreSQL refuses with
an error: a 500 on every login page. :func:`username_for_lockout` (``AXES_USERNAME_CALLABLE``)
hands axes the username cut to what it can store, for every entry point at once.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

TEMPLATE = "accounts/locked_out.html"
#: The length of django-axes' username columns (no real username comes near: ours are 150).
RECORDED_USERNAME_LENGTH = 255


def username_for_lockout(request: Any, credentials: dict[str, Any] | None = None) -> str | None:
    """The username django-axes counts a failure for: the one tried, as much of it as axes'
    tables hold, without NUL bytes (which PostgreSQL refuses in text)."""
    if credentials:
        username = credentials.get("username")
    else:
        username = getattr(request, "data", request.POST).get("username")
    if username is None:
        return None
    return str(username).replace("\x00", "")[:RECORDED_USERNAME_LENGTH]


def is_locked_out(request: Any) -> bool:
    """Whether django-axes refused (or just locked out) this request's password check.

    ``request`` is whatever was handed to ``authenticate()``: Django's request, or DRF's.
    """
    return bool(getattr(request, "axes_locked_out", False))


def retry_after_seconds() -> int:
    """Seconds until a locked-out client may try again (the whole cool-off; see the module)."""
    return int(settings.AXES_COOLOFF_TIME.total_seconds())


def lockout_response(
    request: HttpRequest,
    original_response: HttpResponse | None = None,
    credentials: dict[str, Any] | None = None,
) -> HttpResponse:
    """The page for a locked-out login form; a view's own 429 (the token endpoint's) is kept."""
    if original_response is not None and original_response.status_code == 429:
        return original_response
    cool_off_minutes = retry_after_seconds() // 60
    response = render(
        request,
        TEMPLATE,
        {"failure_limit": settings.AXES_FAILURE_LIMIT, "cool_off_minutes": cool_off_minutes},
        status=429,
    )
    response["Retry-After"] = str(retry_after_seconds())
    return response
