"""pytest fixtures shared by the three projects (registered through the ``pytest11`` entry point).

Factories are imported inside the fixtures: this module is loaded before pytest-django has
configured Django, and ``UserFactory`` reads ``AUTH_USER_MODEL`` when it is imported.
pytest-django's own ``admin_user``/``admin_client`` are left alone; ``superuser`` is ours.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from importlib import import_module
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit, urlunsplit

import pytest

from shared.browser import DESKTOP, CspViolations, require_chromium

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractUser
    from django.test import Client
    from playwright.sync_api import Browser, Page

    from shared.smtp import SmtpServer

# The contract's test classes run as each project's own tests: show their failing values too.
pytest.register_assert_rewrite("shared.contract")


def _logged_in_client(user: AbstractUser) -> Client:
    from django.test import Client

    client = Client()
    client.force_login(user)
    return client


@pytest.fixture(autouse=True)
def _media_root(settings: Any, tmp_path: Path) -> Path:
    """Send every uploaded file of every test to a temporary folder, never the real media root."""
    media_root = tmp_path / "media"
    media_root.mkdir()
    settings.MEDIA_ROOT = str(media_root)
    return media_root


@pytest.fixture
def media_root(_media_root: Path) -> Path:
    """The temporary ``MEDIA_ROOT`` of the current test, for assertions on stored files."""
    return _media_root


@pytest.fixture
def nothing_composed_yet() -> Iterator[None]:
    """No statement kept from an earlier test by the project's ``config.composed``, and none
    left for a later one: each test composes its shapes itself."""
    composed = import_module("config.composed")
    composed.forget()
    yield
    composed.forget()


@pytest.fixture
def user(db: None) -> AbstractUser:
    from shared.factories import UserFactory

    return UserFactory.create(username="customer")


@pytest.fixture
def other_user(db: None) -> AbstractUser:
    from shared.factories import UserFactory

    return UserFactory.create(username="other")


@pytest.fixture
def staff_user(db: None) -> AbstractUser:
    from shared.factories import StaffUserFactory

    return StaffUserFactory.create(username="agent")


@pytest.fixture
def superuser(db: None) -> AbstractUser:
    from shared.factories import SuperuserFactory

    return SuperuserFactory.create(username="root")


@pytest.fixture
def user_client(user: AbstractUser) -> Client:
    """A test client logged in as :func:`user`."""
    return _logged_in_client(user)


@pytest.fixture
def other_user_client(other_user: AbstractUser) -> Client:
    return _logged_in_client(other_user)


@pytest.fixture
def staff_client(staff_user: AbstractUser) -> Client:
    return _logged_in_client(staff_user)


@pytest.fixture
def superuser_client(superuser: AbstractUser) -> Client:
    return _logged_in_client(superuser)


@pytest.fixture
def api_client() -> Any:
    """An anonymous DRF ``APIClient``.

    Django REST framework is imported here, not at module level, so projects without it can
    load this plugin; only a test that asks for this fixture needs DRF installed.
    """
    from rest_framework.test import APIClient

    return APIClient()


@pytest.fixture
def user_api_client(user: AbstractUser) -> Any:
    """A DRF ``APIClient`` authenticated as :func:`user`, whatever the project's auth classes."""
    from rest_framework.test import APIClient

    client = APIClient()
    client.force_authenticate(user)
    return client


# Redis has 16 numbered databases (0-15) unless configured otherwise.
REDIS_DATABASES = 16
# The projects use Redis databases 1, 2 and 3; each xdist worker past the first moves 4 up.
REDIS_DATABASE_STRIDE = 4


def redis_url_for_worker(url: str, worker: int) -> str:
    """``url`` with its database number moved ``worker`` strides up (gw0 keeps the URL as is).

    The tests empty the cache (``FLUSHDB``) between tests and queue RQ jobs on ``REDIS_URL``:
    two xdist workers sharing a database would wipe each other's keys mid-test.
    """
    parts = urlsplit(url)
    database = int(parts.path.strip("/") or 0) + worker * REDIS_DATABASE_STRIDE
    if database >= REDIS_DATABASES:
        raise pytest.UsageError(
            f"xdist worker gw{worker} would need Redis database {database} of {url}: "
            f"run fewer workers (-n {max(worker, 1)}) or a Redis with more databases."
        )
    return urlunsplit(parts._replace(path=f"/{database}"))


@pytest.hookimpl(tryfirst=True)
def pytest_load_initial_conftests(early_config: pytest.Config) -> None:
    """Give each pytest-xdist worker a Redis database of its own, before Django reads
    ``REDIS_URL`` (pytest-django sets Django up in this same hook, after this one).

    pytest-django already gives each worker its own test database; fixtures and subprocesses
    that read ``REDIS_URL`` from the environment see the worker's URL too.
    """
    worker = os.environ.get("PYTEST_XDIST_WORKER", "")
    url = os.environ.get("REDIS_URL")
    if worker.startswith("gw") and url:
        os.environ["REDIS_URL"] = redis_url_for_worker(url, int(worker.removeprefix("gw")))


#: Markers of tests that take seconds each: real servers stopped and started, a real worker
#: process, a hostile-input walk of every URL.
LONG_RUNNING_MARKERS = ("long_running", "faults", "worker")


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        "long_running: takes seconds; runs first, so pytest-xdist's workers finish together.",
    )
    config.addinivalue_line("markers", "browser: drives a real headless Chromium (Playwright).")
    config.addinivalue_line(
        "markers",
        "screenshots: browser tests that also save README screenshots (nox -s screenshots).",
    )


@pytest.hookimpl(wrapper=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> Iterator[None]:
    """Run the long tests first, each group in its collected order.

    pytest-xdist hands tests out in the order they were collected; a walk of 40 seconds handed
    out last keeps one worker busy while the others have nothing left, so a suite took as long
    as its slowest tail. Longest first lets the workers finish closer together.

    A wrapper, so this sort comes before pytest-django's: its stable sort then puts the tests
    that flush the database (``transaction=True``) after the others again, as Django orders
    them. Sorted after it, a long transactional test ran first and emptied what data migrations
    had made (default categories, content types) under the tests that followed on its worker.
    """
    items.sort(key=lambda item: not any(map(item.get_closest_marker, LONG_RUNNING_MARKERS)))
    yield


@pytest.fixture(scope="session")
def chromium() -> Iterator[Browser]:
    """One headless Chromium for the whole run, from the system, never downloaded.

    Playwright's synchronous API runs an event loop in the test thread; Django refuses database
    access from a thread with a running loop unless told the code is in fact synchronous.
    """
    executable = require_chromium()
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, headless=True)
        yield browser
        browser.close()


@pytest.fixture
def page(chromium: Browser) -> Iterator[Page]:
    """A fresh browser tab (own cookies and storage) at desktop size.

    Every Content-Security-Policy violation the browser reports fails the test at teardown: a
    policy that blocks a page's own script or style is a broken page, even when the test's own
    assertions did not look at the part that broke.
    """
    context = chromium.new_context(viewport=DESKTOP, locale="en-US")
    context.set_default_timeout(10_000)
    tab = context.new_page()
    violations = CspViolations.watch(tab)
    yield tab
    context.close()
    violations.assert_none()


@pytest.fixture
def smtp_server(settings: Any) -> Iterator[SmtpServer]:
    """A real SMTP server (aiosmtpd) on 127.0.0.1, with Django's SMTP backend pointed at it.

    aiosmtpd is imported only here, so a project without mail tests does not need it.
    """
    from shared.smtp import SmtpServer

    server = SmtpServer()
    server.start()
    for name, value in server.django_settings().items():
        setattr(settings, name, value)
    yield server
    server.stop()


@pytest.fixture
def screenshot_dir() -> Path | None:
    """Where ``nox -s screenshots`` wants PNGs written; None in ordinary test runs."""
    folder = os.environ.get("SCREENSHOT_DIR")
    return Path(folder) if folder else None
