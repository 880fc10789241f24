import pytest
from django.contrib.auth.signals import user_logged_in

from shared.factories import DEFAULT_PASSWORD
from shared.hostile_input import (
    HOSTILE_VALUES,
    admin_change_paths,
    client_for,
    find_server_errors,
    find_server_errors_in_forms,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def sent(monkeypatch):
    """Every path the walker asks for with GET, in order."""
    from shared import hostile_input

    paths: list[str] = []
    original = hostile_input.HostileClient.get

    def spy(self, path, **extra):
        paths.append(path)
        return original(self, path, **extra)

    monkeypatch.setattr(hostile_input.HostileClient, "get", spy)
    return paths


@pytest.fixture(scope="module")
def admin_walk(django_db_setup, django_db_blocker):
    """One walk of the test site by a superuser, ``username`` added to the query names: every
    path it asked for with GET, and the failures it found.

    The tests of what a walk of the admin sends and finds read it, each its own part: a walk
    of the admin takes seconds, and four of them were a fifth of this package's test time.
    Its rows are rolled back at the end, as a test's are.
    """
    from django.db import transaction

    from shared import hostile_input
    from shared.factories import SuperuserFactory

    paths: list[str] = []
    original = hostile_input.HostileClient.get

    def spy(self, path, **extra):
        paths.append(path)
        return original(self, path, **extra)

    with (
        django_db_blocker.unblock(),
        pytest.MonkeyPatch.context() as patch,
        transaction.atomic(),
    ):
        patch.setattr(hostile_input.HostileClient, "get", spy)
        superuser = SuperuserFactory.create(username="root")
        failures = find_server_errors(client_for(superuser), query_names=["username"])
        transaction.set_rollback(True)
    return paths, failures


def test_sound_urls_give_no_server_error_to_anyone(superuser):
    for who in (None, superuser):
        assert find_server_errors(client_for(who), skip_paths=("/admin/",)) == []


def test_djangos_own_admin_overflow_on_sqlite_is_found(admin_walk):
    """Django guards integer lookups but not those across relations: each project registers
    config/integer_lookups.py against this; the walker must be able to see the fault."""
    _, failures = admin_walk

    assert "GET /admin/auth/user/?groups__exact=18446744073709551616 -> 500" in failures


def test_an_unchecked_get_filter_is_found_from_the_page_form(settings, user):
    settings.ROOT_URLCONF = "tests.hostile_urls"

    failures = find_server_errors(client_for(user))

    assert any(line.startswith("GET /search/?limit=") for line in failures), failures


def test_an_unchecked_post_field_is_found(settings, user):
    settings.ROOT_URLCONF = "tests.hostile_urls"

    failures = find_server_errors(client_for(user))

    assert any(line.startswith("POST /order/ [quantity]") for line in failures), failures


def test_a_trusted_client_header_is_found(settings):
    settings.ROOT_URLCONF = "tests.hostile_urls"

    failures = find_server_errors(client_for(None))

    assert any(line.startswith("GET /hops/ [headers=") for line in failures), failures


def test_a_method_no_view_was_written_for_is_found(settings, user):
    settings.ROOT_URLCONF = "tests.hostile_urls"

    failures = find_server_errors(client_for(user))

    assert "OPTIONS /html-only/ -> 500" in failures, failures
    assert not any(line.startswith("PROPFIND") for line in failures), failures


FRAGILE_PATHS = ("/search/", "/order/", "/hops/", "/offset/", "/echo/", "/html-only/")


def _skipping_all_fragile_paths_but(path: str) -> tuple[str, ...]:
    return tuple(other for other in FRAGILE_PATHS if other != path)


def test_extra_query_names_are_tried(settings):
    settings.ROOT_URLCONF = "tests.hostile_urls"

    plain = find_server_errors(client_for(None), skip_paths=FRAGILE_PATHS)
    with_name = find_server_errors(
        client_for(None),
        query_names=["limit"],
        skip_paths=_skipping_all_fragile_paths_but("/search/"),
    )

    assert plain == []
    assert any("?limit=" in line for line in with_name)


def test_a_query_name_the_page_reads_is_walked_though_nothing_lists_it(settings):
    settings.ROOT_URLCONF = "tests.hostile_urls"

    failures = find_server_errors(
        client_for(None), skip_paths=_skipping_all_fragile_paths_but("/offset/")
    )

    assert any(line.startswith("GET /offset/?offset=") for line in failures), failures


def test_a_page_that_reads_its_full_path_has_every_candidate_name_walked(settings):
    settings.ROOT_URLCONF = "tests.hostile_urls"

    failures = find_server_errors(
        client_for(None), skip_paths=_skipping_all_fragile_paths_but("/echo/")
    )

    assert any(line.startswith("GET /echo/?page=") for line in failures), failures


def test_a_query_name_no_request_reads_is_not_walked(sent, settings):
    """A name nobody looks up cannot fail: walking it would only cost time.

    (The probe itself carries every candidate at once, so it is the one request with an ``&``.)
    """
    settings.ROOT_URLCONF = "tests.hostile_urls"
    find_server_errors(client_for(None), query_names=["limit"], skip_paths=("/admin/",))

    walked = {path.split("=")[0] for path in sent if "?" in path and "&" not in path}
    assert {name for name in walked if name.startswith("/offset/")} == {"/offset/?offset"}
    assert {name for name in walked if name.startswith("/search/")} == {"/search/?limit"}
    assert not [name for name in walked if name.startswith("/whoami/")]


def test_the_probe_leaves_djangos_request_as_it_was():
    from django.core.handlers.wsgi import WSGIRequest
    from django.http import HttpRequest

    before = (
        WSGIRequest.__dict__["GET"],
        HttpRequest.get_full_path,
        HttpRequest.build_absolute_uri,
    )
    find_server_errors(client_for(None), skip_paths=("/admin/",))

    assert (
        WSGIRequest.__dict__["GET"],
        HttpRequest.get_full_path,
        HttpRequest.build_absolute_uri,
    ) == before


def test_admin_changelist_filters_are_walked(admin_walk):
    sent, _ = admin_walk

    assert any(p.startswith("/admin/auth/user/?is_staff__exact=") for p in sent)
    assert any(p.startswith("/admin/auth/user/?o=") for p in sent)
    assert "/admin/auth/user/18446744073709551616/change/" in sent


def test_a_changelist_has_its_fields_walked_and_a_name_it_refuses_sent_once(admin_walk):
    """A changelist refuses a name that is neither its own nor a field before reading a value."""
    sent, _ = admin_walk

    def values(name: str) -> list[str]:
        return [p for p in sent if p.startswith(f"/admin/auth/user/?{name}=") and "&" not in p]

    assert len(values("username")) == len(HOSTILE_VALUES)
    assert len(values("q")) == len(HOSTILE_VALUES)
    assert len(values("sort")) == 1


def test_an_add_form_has_its_fields_walked_and_a_name_it_ignores_sent_once(admin_walk):
    """An add form takes initial values for its model's fields and reads no other name's value."""
    sent, _ = admin_walk

    def values(name: str) -> list[str]:
        return [p for p in sent if p.startswith(f"/admin/auth/user/add/?{name}=") and "&" not in p]

    assert len(values("username")) == len(HOSTILE_VALUES)
    assert len(values("sort")) == 1


def test_a_post_does_not_leave_the_walker_logged_out(superuser):
    """The admin logs out staff only (it sends anyone else to its login page)."""
    client = client_for(superuser)
    client.post("/admin/logout/", {})

    assert client.get("/whoami/").content.decode() == superuser.get_username()


def test_an_odd_method_does_not_leave_the_walker_logged_out(user, monkeypatch):
    client = client_for(user)
    monkeypatch.setattr(client.client, "generic", lambda *args, **kwargs: client.client.logout())
    client.send("OPTIONS", "/whoami/")
    monkeypatch.undo()

    assert client.get("/whoami/").content.decode() == user.get_username()


def test_a_post_that_changes_the_password_does_not_leave_the_walker_logged_out(superuser):
    """The session then holds the new password's hash; the walker logs in with it."""
    client = client_for(superuser)
    new_password = "another-walk-password"
    client.post(
        "/admin/password_change/",
        {
            "old_password": DEFAULT_PASSWORD,
            "new_password1": new_password,
            "new_password2": new_password,
        },
    )

    assert client.get("/whoami/").content.decode() == superuser.get_username()
    superuser.refresh_from_db()
    assert superuser.check_password(new_password)


def test_a_request_that_keeps_the_session_logs_nobody_in_again(superuser):
    """A login writes the session, ``last_login`` and (django-axes) an access-log row: once per
    walk, not once per request, or the walk fills the tables it then renders."""
    client = client_for(superuser)
    logins: list[object] = []

    def count(sender: object, **kwargs: object) -> None:
        logins.append(kwargs["user"])

    user_logged_in.connect(count)
    try:
        client.post("/whoami/", {})
        client.send("OPTIONS", "/whoami/")
        client.post("/admin/logout/", {})
    finally:
        user_logged_in.disconnect(count)

    assert logins == [superuser]  # only after the logout
    assert client.get("/whoami/").content.decode() == superuser.get_username()


def test_an_anonymous_walker_stays_anonymous_after_a_post(user):
    client = client_for(None)
    client.client.force_login(user)
    client.post("/whoami/", {})

    assert client.get("/whoami/").content.decode() == ""


def test_an_anonymous_walker_is_given_no_session_by_the_walk(settings):
    """Checking who is logged in reads the session without making one."""
    client = client_for(None)
    client.post("/whoami/", {})
    client.send("OPTIONS", "/whoami/")

    assert settings.SESSION_COOKIE_NAME not in client.client.cookies


def test_shards_together_find_what_one_walk_finds(settings):
    """Three shards walk every pattern once: together they find each failure exactly once.

    The fragile pages fail for anyone, in several patterns; an anonymous walk is sent to the
    admin's login page, so it takes a fraction of a superuser's.
    """
    settings.ROOT_URLCONF = "tests.hostile_urls"
    whole = find_server_errors(client_for(None))
    shards = [find_server_errors(client_for(None), shard=(i, 3)) for i in range(3)]

    assert whole
    assert sorted(line for shard in shards for line in shard) == sorted(whole)
    assert all(len(shard) < len(whole) for shard in shards)


@pytest.mark.parametrize("shard", [(3, 3), (-1, 3), (0, 0)])
def test_a_shard_that_does_not_exist_is_refused(shard):
    with pytest.raises(ValueError, match="does not exist"):
        find_server_errors(client_for(None), shard=shard)


def test_the_forms_of_given_pages_are_posted_with_hostile_values(settings, user):
    settings.ROOT_URLCONF = "tests.hostile_urls"

    failures = find_server_errors_in_forms(client_for(user), ["/order/", "/whoami/"])

    assert failures
    assert all(line.startswith("POST /order/ [quantity]") for line in failures), failures


def test_admin_change_paths_name_the_newest_row_of_each_model_that_has_rows(superuser, user):
    from django.contrib.auth.models import Group

    paths = admin_change_paths()

    assert f"/admin/auth/user/{max(superuser.pk, user.pk)}/change/" in paths
    assert not [path for path in paths if path.startswith("/admin/auth/group/")]
    Group.objects.create(name="editors")
    assert any(path.startswith("/admin/auth/group/") for path in admin_change_paths())
    oldest = min(superuser.pk, user.pk)
    assert f"/admin/auth/user/{oldest}/change/" in admin_change_paths(also=[user, superuser])
