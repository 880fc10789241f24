import pytest

from shared.hostile_input import client_for, find_server_errors

pytestmark = pytest.mark.django_db


def test_sound_urls_give_no_server_error_to_anyone(superuser):
    for who in (None, superuser):
        assert find_server_errors(client_for(who), skip_paths=("/admin/",)) == []


def test_djangos_own_admin_overflow_on_sqlite_is_found(superuser):
    """Django guards integer lookups but not those across relations: each project registers
    config/integer_lookups.py against this; the walker must be able to see the fault."""
    failures = find_server_errors(client_for(superuser))

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


def test_extra_query_names_are_tried(settings):
    settings.ROOT_URLCONF = "tests.hostile_urls"

    plain = find_server_errors(client_for(None), skip_paths=("/search/", "/order/", "/hops/"))
    with_name = find_server_errors(
        client_for(None), query_names=["limit"], skip_paths=("/order/", "/hops/")
    )

    assert plain == []
    assert any("?limit=" in line for line in with_name)


def test_admin_changelist_filters_are_walked(monkeypatch, superuser):
    from shared import hostile_input

    sent: list[str] = []
    original = hostile_input.HostileClient.get

    def spy(self, path, **extra):
        sent.append(path)
        return original(self, path, **extra)

    monkeypatch.setattr(hostile_input.HostileClient, "get", spy)
    find_server_errors(client_for(superuser))

    assert any(p.startswith("/admin/auth/user/?is_staff__exact=") for p in sent)
    assert any(p.startswith("/admin/auth/user/?o=") for p in sent)
    assert "/admin/auth/user/18446744073709551616/change/" in sent


def test_a_post_does_not_leave_the_walker_logged_out(user):
    client = client_for(user)
    client.post("/admin/logout/", {})

    assert client.get("/whoami/").content.decode() == user.get_username()


def test_an_anonymous_walker_stays_anonymous_after_a_post(user):
    client = client_for(None)
    client.client.force_login(user)
    client.post("/whoami/", {})

    assert client.get("/whoami/").content.decode() == ""


def test_shards_together_find_what_one_walk_finds(superuser):
    """Three shards walk every pattern once: together they find each failure exactly once."""
    whole = find_server_errors(client_for(superuser))
    shards = [find_server_errors(client_for(superuser), shard=(i, 3)) for i in range(3)]

    assert whole
    assert sorted(line for shard in shards for line in shard) == sorted(whole)
    assert all(len(shard) < len(whole) for shard in shards)


@pytest.mark.parametrize("shard", [(3, 3), (-1, 3), (0, 0)])
def test_a_shard_that_does_not_exist_is_refused(shard):
    with pytest.raises(ValueError, match="does not exist"):
        find_server_errors(client_for(None), shard=shard)
