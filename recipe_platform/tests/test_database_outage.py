"""A database that is away answers a clean 503 page with Retry-After, never a 500.

Here the database errors are raised where they surface in a real outage (a view's query, the
session read by ``LoginRequiredMiddleware`` before any view); ``tests/faults/`` restarts a real
PostgreSQL under gunicorn.
"""

import logging
from unittest import mock

import pytest
from django.db import InterfaceError, OperationalError
from django.test import Client
from pytest_django.asserts import assertContains

from config.error_pages import RETRY_AFTER_SECONDS

pytestmark = pytest.mark.django_db

DOWN = OperationalError('connection to server at "127.0.0.1", port 5432 failed: Connection refused')


def _client(user=None):
    client = Client(raise_request_exception=False)
    if user is not None:
        client.force_login(user)
    return client


def _assert_clean_503(response):
    assertContains(response, "Back in a moment", status_code=503)
    assert response["Retry-After"] == str(RETRY_AFTER_SECONDS)
    assert "no-store" in response["Cache-Control"]
    assert "Traceback" not in response.content.decode()
    # The page's inline style carries the response's CSP nonce, like the 500 page's.
    assert "style-src 'self' 'nonce-" in response["Content-Security-Policy"]


def test_a_query_failing_in_a_view_is_a_503_page(caplog):
    with (
        mock.patch("recipes.views.Category.objects.all", side_effect=DOWN),
        caplog.at_level(logging.WARNING, logger="config.error_pages"),
    ):
        response = _client().get("/recipes/")

    _assert_clean_503(response)
    assert "The database is unavailable (OperationalError" in caplog.text
    assert "GET /recipes/ with 503" in caplog.text


def test_a_views_database_error_is_answered_without_a_traceback_in_the_log(caplog):
    """The middleware answers it: Django then logs the 503 as a response, not as a crash."""
    with (
        mock.patch("recipes.views.Category.objects.all", side_effect=DOWN),
        caplog.at_level(logging.WARNING),
    ):
        _client().get("/recipes/")

    logged = [record for record in caplog.records if record.name == "django.request"]
    assert [record.getMessage() for record in logged] == ["Service Unavailable: /recipes/"]
    assert logged[0].exc_info is None


def test_a_lost_connection_is_a_503_too():
    with mock.patch("recipes.views.Category.objects.all", side_effect=InterfaceError("closed")):
        response = _client().get("/recipes/")

    _assert_clean_503(response)


def test_a_session_that_cannot_be_read_before_any_view_runs_is_a_503_page(user):
    """LoginRequiredMiddleware reads the logged-in user before the view: Django never hands
    that error to a middleware, so handler500 answers it."""
    client = _client(user)

    with mock.patch("django.contrib.sessions.backends.db.SessionStore.load", side_effect=DOWN):
        response = client.get("/recipes/mine/")

    _assert_clean_503(response)


def test_other_errors_are_still_the_500_page():
    with mock.patch("recipes.views.Category.objects.all", side_effect=RuntimeError("a bug")):
        response = _client().get("/recipes/")

    assertContains(response, "Something went wrong on our side", status_code=500)
    assert "Retry-After" not in response
