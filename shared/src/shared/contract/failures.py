"""What a visitor gets when something fails: a database that is away is a clean 503 asking to
retry (``config.middleware.DatabaseUnavailableMiddleware``, and ``handler500`` for an error
raised before any view), any other error the project's friendly 500, neither with a traceback.

The errors are raised by the contract's own views (:class:`FailingViews`), mounted in place of
the project's URLs with the project's error handlers kept, so the rule is checked without
knowing a project's views. Each project's own tests raise them where its outage shows (a
service's transaction cut off, a real PostgreSQL restarted under gunicorn in ``tests/faults/``)
and check what its pages say beyond :attr:`Deployment.unavailable_says` and
:attr:`Deployment.server_error_says`.
"""

from __future__ import annotations

import logging
from importlib import import_module
from types import ModuleType
from typing import NoReturn
from unittest import mock

import pytest
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.models import AbstractUser
from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.test import Client, RequestFactory
from django.urls import get_resolver, path
from pytest_django import DjangoAssertNumQueries, Settings

from shared.contract import Deployment

#: What a browser asks for; the API answers it with a page too.
BROWSER = "text/html,application/xhtml+xml,*/*;q=0.8"
INTERNAL_DETAIL = "a detail only the log may hold"


def _database_gone(request: HttpRequest) -> NoReturn:
    raise OperationalError(f"server closed the connection unexpectedly ({INTERNAL_DETAIL})")


def _connection_closed(request: HttpRequest) -> NoReturn:
    raise InterfaceError(f"connection already closed ({INTERNAL_DETAIL})")


def _bug(request: HttpRequest) -> NoReturn:
    raise RuntimeError(f"a bug ({INTERNAL_DETAIL})")


def _private(request: HttpRequest) -> HttpResponse:
    return HttpResponse("only for a logged-in user")


class FailingViews:
    """The contract's failing views as the whole site, answered by the project's handlers."""

    @pytest.fixture
    def failing_urls(self, settings: Settings) -> None:
        """Django reads ``handler500`` from the root URLconf, so the project's are copied
        over; the views are open to anonymous visitors (``login_not_required``) except
        ``private/``, which ``LoginRequiredMiddleware`` guards where a project has it."""
        project = import_module(str(settings.ROOT_URLCONF))
        urls = ModuleType("shared.contract.failing_urls")
        urls.urlpatterns = [  # type: ignore[attr-defined]
            path("database-gone/", login_not_required(_database_gone)),
            path("connection-closed/", login_not_required(_connection_closed)),
            path("bug/", login_not_required(_bug)),
            path("private/", _private),
        ]
        for code in (400, 403, 404, 500):
            handler = getattr(project, f"handler{code}", None)
            if handler is not None:
                setattr(urls, f"handler{code}", handler)
        settings.ROOT_URLCONF = urls


def _assert_clean_503(response: HttpResponseBase, deployment: Deployment) -> None:
    assert isinstance(response, HttpResponse)
    page = response.content.decode()
    assert response.status_code == 503
    assert response["Retry-After"] == str(deployment.retry_after_seconds)
    assert "no-store" in response["Cache-Control"]
    assert "no-cache" in response["Cache-Control"]
    assert response["Content-Type"].startswith("text/html")
    assert "Content-Security-Policy" in response
    assert deployment.unavailable_says in page
    assert "Traceback" not in page
    assert INTERNAL_DETAIL not in page


def _outage_warnings(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [
        record.getMessage()
        for record in caplog.records
        if record.getMessage().startswith("The database is unavailable (")
        and record.levelno == logging.WARNING
    ]


@pytest.mark.django_db
@pytest.mark.usefixtures("failing_urls")
class DatabaseOutageContract(FailingViews):
    """A view's ``OperationalError`` or ``InterfaceError`` (PostgreSQL restarting, SQLite's lock
    wait running out) is a 503 with ``Retry-After``, never cached, never a 500. Subclass as
    ``TestDatabaseOutage``."""

    @pytest.mark.parametrize(
        ("url", "error"),
        [("/database-gone/", "OperationalError"), ("/connection-closed/", "InterfaceError")],
    )
    def test_a_views_database_error_is_a_503_page_asking_to_retry(
        self, deployment: Deployment, url: str, error: str
    ) -> None:
        response = Client(raise_request_exception=False).get(url, HTTP_ACCEPT=BROWSER)

        _assert_clean_503(response, deployment)

    @pytest.mark.parametrize(
        ("url", "error"),
        [("/database-gone/", "OperationalError"), ("/connection-closed/", "InterfaceError")],
    )
    def test_it_is_logged_as_one_warning_saying_why_without_a_traceback(
        self, caplog: pytest.LogCaptureFixture, url: str, error: str
    ) -> None:
        """The middleware answers it, so Django logs a 503 response, not a crash."""
        with caplog.at_level(logging.WARNING):
            Client(raise_request_exception=False).get(url, HTTP_ACCEPT=BROWSER)

        (warning,) = _outage_warnings(caplog)
        assert warning.startswith(f"The database is unavailable ({error}: ")
        assert warning.endswith(f"; answered GET {url} with 503.")
        assert all(record.exc_info is None for record in caplog.records)
        assert [r.getMessage() for r in caplog.records if r.name == "django.request"] == [
            f"Service Unavailable: {url}"
        ]

    def test_any_other_error_is_not_disguised_as_an_outage(
        self, deployment: Deployment, caplog: pytest.LogCaptureFixture
    ) -> None:
        response = Client(raise_request_exception=False).get("/bug/", HTTP_ACCEPT=BROWSER)

        assert response.status_code == 500
        assert "Retry-After" not in response
        assert _outage_warnings(caplog) == []


@pytest.mark.django_db
@pytest.mark.usefixtures("failing_urls")
class DatabaseOutageBeforeAnyViewContract(FailingViews):
    """Where ``LoginRequiredMiddleware`` reads the logged-in user before any view, a database
    error there reaches ``handler500``, never a middleware: it answers the same 503. Subclass
    as ``TestDatabaseOutageBeforeAnyView`` (a project with ``LoginRequiredMiddleware``)."""

    def test_a_session_that_cannot_be_read_before_any_view_is_a_503_page(
        self, deployment: Deployment, user: AbstractUser, caplog: pytest.LogCaptureFixture
    ) -> None:
        client = Client(raise_request_exception=False)
        client.force_login(user)

        with mock.patch(
            "django.contrib.sessions.backends.db.SessionStore.load",
            side_effect=OperationalError(f"connection refused ({INTERNAL_DETAIL})"),
        ):
            response = client.get("/private/", HTTP_ACCEPT=BROWSER)

        _assert_clean_503(response, deployment)
        (warning,) = _outage_warnings(caplog)
        assert warning.endswith("; answered GET /private/ with 503.")


@pytest.mark.django_db
class ServerErrorContract(FailingViews):
    """An unhandled error is the project's friendly 500 (a page, or the API's error shape),
    built without the database, and gives nothing of the error away. Subclass as
    ``TestServerError``."""

    @pytest.mark.usefixtures("failing_urls")
    def test_an_unhandled_error_is_the_friendly_500_without_its_details(
        self, deployment: Deployment
    ) -> None:
        response = Client(raise_request_exception=False).get("/bug/", HTTP_ACCEPT=BROWSER)

        page = response.content.decode()
        assert response.status_code == 500
        assert deployment.server_error_says in page
        assert "Traceback" not in page
        assert INTERNAL_DETAIL not in page

    def test_the_500_answer_needs_no_database_and_no_context(
        self, deployment: Deployment, django_assert_num_queries: DjangoAssertNumQueries
    ) -> None:
        """The server is unwell when it runs: the handler gets a bare request (no user, no
        CSP nonce, no session) and must not query."""
        server_error = get_resolver().resolve_error_handler(500)

        with django_assert_num_queries(0):
            response = server_error(RequestFactory().get("/"))

        assert response.status_code == 500
        assert deployment.server_error_says in response.content.decode()
