"""A database that is away answers a clean 503 page with Retry-After, never a 500.

The errors are raised where a real outage raises them: in a view, in the middle of a service's
transaction (which is rolled back), and in the middleware that reads the session before any
view runs. PostgreSQL really restarted under gunicorn is ``tests/faults/``.
"""

from __future__ import annotations

import logging
from unittest import mock

import pytest
from django.db import InterfaceError, OperationalError
from django.template.loader import get_template
from django.test import Client
from django.urls import path, reverse

from tickets.models import Comment, TicketQuerySet

pytestmark = pytest.mark.django_db


def _database_gone(request):
    raise OperationalError("server closed the connection unexpectedly")


def _connection_unusable(request):
    raise InterfaceError("connection already closed")


urlpatterns = [path("gone/", _database_gone), path("closed/", _connection_unusable)]


def _assert_clean_503(response):
    assert response.status_code == 503
    assert response["Retry-After"] == "10"
    assert "no-cache" in response["Cache-Control"]
    assert "Content-Security-Policy" in response
    page = response.content.decode()
    assert "The helpdesk is briefly unavailable" in page
    assert "Traceback" not in page
    assert "server closed the connection" not in page


@pytest.mark.parametrize("url", ["/gone/", "/closed/"])
def test_a_views_database_error_answers_503_and_logs_a_warning(settings, staff_user, url, caplog):
    settings.ROOT_URLCONF = __name__
    client = Client(raise_request_exception=False)
    client.force_login(staff_user)

    response = client.get(url)

    _assert_clean_503(response)
    (record,) = [r for r in caplog.records if r.name == "config.middleware"]
    assert record.levelno == logging.WARNING
    assert record.getMessage().startswith("The database is unavailable (")
    assert record.getMessage().endswith(f"answered GET {url} with 503.")


def test_reading_the_session_without_the_database_answers_503(user_client, caplog):
    """The session (and so the user) is read by middleware, before any view: Django hands that
    error to handler500, which answers 503 for a database error."""
    with mock.patch(
        "django.contrib.sessions.backends.db.SessionStore._get_session_from_db",
        side_effect=OperationalError("connection refused"),
    ):
        user_client.raise_request_exception = False
        response = user_client.get(reverse("tickets:list"))

    _assert_clean_503(response)
    assert any(r.name == "config.middleware" for r in caplog.records)


def test_a_change_cut_off_by_the_database_answers_503_and_leaves_nothing_half_saved(
    staff_client, ticket
):
    staff_client.raise_request_exception = False
    with mock.patch.object(
        TicketQuerySet, "update", side_effect=OperationalError("terminating connection")
    ):
        response = staff_client.post(
            reverse("tickets:comment", args=[ticket.pk]), {"body": "On it."}
        )

    _assert_clean_503(response)
    assert not Comment.objects.exists()  # the reply was written, then rolled back with the rest


def test_any_other_error_is_still_the_friendly_500(settings, staff_user):
    settings.ROOT_URLCONF = "tests.test_error_pages"
    client = Client(raise_request_exception=False)
    client.force_login(staff_user)

    response = client.get("/boom/")

    assert response.status_code == 500
    assert b"Something went wrong on our side" in response.content


def test_the_503_page_renders_without_any_context():
    html = get_template("503.html").render({"retry_after": 10})

    assert "try again in 10 seconds" in " ".join(html.split())
