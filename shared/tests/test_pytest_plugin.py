import os
from pathlib import Path

import pytest
from django.conf import settings

from shared.pytest_plugin import pytest_load_initial_conftests, redis_url_for_worker

pytestmark = pytest.mark.django_db


def test_media_root_points_at_a_temporary_folder(media_root, tmp_path):
    assert Path(settings.MEDIA_ROOT) == media_root
    assert media_root.is_dir()
    assert media_root.is_relative_to(tmp_path)


def test_user_fixtures_are_three_different_people(user, other_user, staff_user, superuser):
    assert len({user.pk, other_user.pk, staff_user.pk, superuser.pk}) == 4
    assert not user.is_staff
    assert not other_user.is_staff
    assert staff_user.is_staff
    assert not staff_user.is_superuser
    assert superuser.is_superuser


@pytest.mark.parametrize(
    ("client_fixture", "username"),
    [
        ("user_client", "customer"),
        ("other_user_client", "other"),
        ("staff_client", "agent"),
        ("superuser_client", "root"),
    ],
)
def test_logged_in_clients_are_logged_in_as_their_user(request, client_fixture, username):
    client = request.getfixturevalue(client_fixture)

    assert client.get("/whoami/").content.decode() == username


def test_api_client_is_an_anonymous_drf_client(api_client):
    from rest_framework.test import APIClient

    assert isinstance(api_client, APIClient)
    assert api_client.get("/api/whoami/").json() == {"username": ""}


def test_user_api_client_is_authenticated_as_user(user_api_client, user):
    from rest_framework.test import APIClient

    assert isinstance(user_api_client, APIClient)
    assert user_api_client.get("/api/whoami/").json() == {"username": user.username}


def test_plugin_does_not_import_django_rest_framework_by_itself():
    import subprocess
    import sys

    code = "import sys, shared.pytest_plugin; print('rest_framework' in sys.modules)"
    result = subprocess.run(  # noqa: S603 - fixed interpreter and code
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )

    assert result.stdout.strip() == "False"


def test_the_first_xdist_worker_keeps_the_redis_database_it_was_given():
    assert redis_url_for_worker("redis://127.0.0.1:6379/2", 0) == "redis://127.0.0.1:6379/2"


def test_each_further_xdist_worker_moves_four_redis_databases_up():
    """The projects use databases 1, 2 and 3: four up never lands on another project's."""
    assert redis_url_for_worker("redis://127.0.0.1:6379/1", 1) == "redis://127.0.0.1:6379/5"
    assert (
        redis_url_for_worker("redis://:pw@cache:6379/3?x=1", 3) == "redis://:pw@cache:6379/15?x=1"
    )
    assert redis_url_for_worker("redis://127.0.0.1:6379", 2) == "redis://127.0.0.1:6379/8"


def test_a_worker_past_the_last_redis_database_is_a_usage_error():
    with pytest.raises(pytest.UsageError, match="gw4 would need Redis database 17"):
        redis_url_for_worker("redis://127.0.0.1:6379/1", 4)


@pytest.mark.parametrize(
    ("worker", "url", "expected"),
    [
        ("gw1", "redis://127.0.0.1:6379/2", "redis://127.0.0.1:6379/6"),
        ("gw0", "redis://127.0.0.1:6379/2", "redis://127.0.0.1:6379/2"),
        ("", "redis://127.0.0.1:6379/2", "redis://127.0.0.1:6379/2"),  # not under xdist
        ("gw1", None, None),  # no Redis, nothing to move
    ],
)
def test_an_xdist_worker_gets_its_redis_database_before_django_reads_it(
    request, monkeypatch, worker, url, expected
):
    """The hook runs before pytest-django's: settings, fixtures and subprocesses all read the
    worker's ``REDIS_URL`` from the environment."""
    monkeypatch.setenv("PYTEST_XDIST_WORKER", worker)
    if url is None:
        monkeypatch.delenv("REDIS_URL", raising=False)
    else:
        monkeypatch.setenv("REDIS_URL", url)

    pytest_load_initial_conftests(early_config=request.config)

    assert os.environ.get("REDIS_URL") == expected


def test_long_running_tests_are_collected_first_in_their_own_order():
    from shared.pytest_plugin import pytest_collection_modifyitems

    class Item:
        """What the hook reads of a collected test: its markers."""

        def __init__(self, name: str, marker: str | None = None) -> None:
            self.name, self.marker = name, marker

        def get_closest_marker(self, name: str) -> str | None:
            return name if name == self.marker else None

    items = [
        Item("quick_one"),
        Item("a_fault", "faults"),
        Item("quick_two", "browser"),
        Item("a_walk", "long_running"),
        Item("a_worker", "worker"),
        Item("quick_three"),
    ]

    hook = pytest_collection_modifyitems(items)  # type: ignore[arg-type] # reads only markers
    next(hook)  # the sort, before the other plugins' hooks (pytest-django's) would run

    assert [item.name for item in items] == [
        "a_fault",
        "a_walk",
        "a_worker",
        "quick_one",
        "quick_two",
        "quick_three",
    ]


ORDERED = """
import pytest

def test_quick_without_a_database(): pass

@pytest.mark.django_db(transaction=True)
@pytest.mark.long_running
def test_long_and_flushing_the_database(): pass

@pytest.mark.django_db
def test_quick_in_a_transaction(): pass

@pytest.mark.django_db
@pytest.mark.long_running
def test_long_in_a_transaction(): pass
"""


def test_tests_that_flush_the_database_still_run_after_the_others(tmp_path):
    """pytest-django sorts after us: a long test that flushes the database (and so empties
    what data migrations made) still runs after every test that may rely on it."""
    import subprocess
    import sys

    (tmp_path / "test_ordered.py").write_text(ORDERED)
    shared_dir = Path(__file__).resolve().parents[1]

    options = ["--collect-only", "-q", "-p", "no:cacheprovider", "--rootdir", str(tmp_path)]
    collected = subprocess.run(  # noqa: S603 - this interpreter, a file the test wrote
        [sys.executable, "-m", "pytest", *options, "--ds", "tests.settings", str(tmp_path)],
        cwd=shared_dir,
        capture_output=True,
        text=True,
        check=False,
    )

    names = [line.split("::")[1] for line in collected.stdout.splitlines() if "::" in line]
    assert names == [
        "test_long_in_a_transaction",
        "test_quick_in_a_transaction",
        "test_long_and_flushing_the_database",
        "test_quick_without_a_database",
    ], collected.stdout + collected.stderr
