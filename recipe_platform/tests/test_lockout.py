"""Login throttling with django-axes: failures are counted in the database, per username and
per address, so a lockout holds in every worker process and on every server.

Every way to check a password counts: the site's login, the admin's login and the admin's
"change password" (which checks the old one). The numbers are the README's: the fifth failure
locks the username, or the address, out for 15 minutes. The address is the TCP peer unless the
deployment trusts a number of proxies (``DJANGO_TRUSTED_PROXY_COUNT``); no header a client sends
changes it.
"""

from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from shared.factories import DEFAULT_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

LOGIN = "/accounts/login/"
ADMIN_LOGIN = "/admin/login/"
ADMIN_PASSWORD_CHANGE = "/admin/password_change/"
NEW_PASSWORD = "a-new-and-longer-secret-9"


def _fail(client, username, times, address="10.0.0.1", url=LOGIN, **headers):
    for _ in range(times):
        response = client.post(
            url, {"username": username, "password": "wrong"}, REMOTE_ADDR=address, **headers
        )
    return response


def _login(client, username, address="10.0.0.1", url=LOGIN, **headers):
    return client.post(
        url,
        {"username": username, "password": DEFAULT_PASSWORD},
        REMOTE_ADDR=address,
        **headers,
    )


def test_the_database_handler_is_used_so_every_process_shares_the_count():
    assert settings.AXES_HANDLER == "axes.handlers.database.AxesDatabaseHandler"


def test_four_failures_are_ordinary_form_errors(client, user):
    response = _fail(client, user.username, 4)

    assert response.status_code == 200
    assert response.context["form"].non_field_errors()


def test_the_fifth_failure_locks_the_account_out_with_429_for_15_minutes(client, user):
    response = _fail(client, user.username, 5)

    assert response.status_code == 429
    assert b"Too many failed logins" in response.content
    assert b"After 5 failed attempts" in response.content
    assert b"15 minutes" in response.content


def test_a_locked_out_account_is_refused_even_with_the_right_password(client, user):
    _fail(client, user.username, 5)

    response = _login(client, user.username)

    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_the_account_stays_locked_from_another_address(client, user):
    _fail(client, user.username, 5, address="10.0.0.1")

    assert _login(client, user.username, address="10.9.9.9").status_code == 429


def test_an_address_trying_many_accounts_is_locked_out(client):
    for victim in UserFactory.create_batch(5):
        _fail(client, victim.username, 1, address="10.6.6.6")

    bystander = UserFactory.create()
    assert _login(client, bystander.username, address="10.6.6.6").status_code == 429
    assert _login(client, bystander.username, address="10.7.7.7").status_code == 302


def test_other_accounts_from_other_addresses_still_log_in(client, user, other_user):
    _fail(client, user.username, 5, address="10.0.0.1")

    assert _login(client, other_user.username, address="10.0.0.2").status_code == 302


def _age_failures(by):
    """Move the recorded failures back in time instead of sleeping."""
    for attempt in AccessAttempt.objects.all():
        attempt.attempt_time -= by
        attempt.save(update_fields=["attempt_time"])


def test_the_lockout_still_holds_just_before_15_minutes(client, user):
    _fail(client, user.username, 5)
    _age_failures(timedelta(minutes=14, seconds=50))

    assert _login(client, user.username).status_code == 429


def test_the_lockout_ends_after_15_minutes(client, user):
    _fail(client, user.username, 5)
    _age_failures(timedelta(minutes=15, seconds=1))

    assert _login(client, user.username).status_code == 302


def test_logging_in_to_ones_own_account_does_not_wipe_failures_against_another(
    client, user, other_user
):
    """django-axes' reset on success deletes every failure counted from the client's address;
    it is off, or four guesses and one login of one's own would start the count again."""
    _fail(client, user.username, 4)
    assert _login(client, other_user.username).status_code == 302
    client.logout()

    response = _fail(client, user.username, 1)

    assert response.status_code == 429


def test_the_admin_login_is_throttled_too(client):
    staff = UserFactory.create(is_staff=True)
    _fail(client, staff.username, 5, address="10.1.1.1", url=ADMIN_LOGIN)

    assert _login(client, staff.username, address="10.1.1.1", url=ADMIN_LOGIN).status_code == 429


# --- The admin's "change password" checks the old password: it counts too ---------------------


def _change_password(client, old_password, address="10.2.2.2"):
    return client.post(
        ADMIN_PASSWORD_CHANGE,
        {
            "old_password": old_password,
            "new_password1": NEW_PASSWORD,
            "new_password2": NEW_PASSWORD,
        },
        REMOTE_ADDR=address,
    )


def test_the_admin_password_change_works_with_the_right_old_password(superuser, superuser_client):
    response = _change_password(superuser_client, DEFAULT_PASSWORD)

    assert response.status_code == 302
    assert response["Location"] == "/admin/password_change/done/"
    superuser.refresh_from_db()
    assert superuser.check_password(NEW_PASSWORD)


def test_a_wrong_old_password_is_a_form_error_and_counts_as_a_failed_login(
    superuser, superuser_client
):
    response = _change_password(superuser_client, "wrong")

    assert response.status_code == 200
    assert response.context["form"].errors["old_password"]
    attempt = AccessAttempt.objects.get()
    assert (attempt.username, attempt.ip_address) == (superuser.username, "10.2.2.2")
    assert attempt.failures_since_start == 1


def test_five_wrong_old_passwords_lock_the_admin_out_of_changing_it(superuser, superuser_client):
    for _ in range(4):
        assert _change_password(superuser_client, "wrong").status_code == 200

    assert _change_password(superuser_client, "wrong").status_code == 429
    response = _change_password(superuser_client, DEFAULT_PASSWORD)

    assert response.status_code == 429
    superuser.refresh_from_db()
    assert superuser.check_password(DEFAULT_PASSWORD)


def test_password_guesses_on_the_login_and_the_password_change_share_one_count(
    client, superuser, superuser_client
):
    _fail(client, superuser.username, 3, address="10.3.3.3")
    _change_password(superuser_client, "wrong", address="10.4.4.4")

    assert _change_password(superuser_client, "wrong", address="10.5.5.5").status_code == 429
    assert _login(client, superuser.username, address="10.6.6.6").status_code == 429


def test_the_old_password_is_not_stored_with_the_failure(superuser, superuser_client):
    _change_password(superuser_client, "my-old-secret-guess")

    assert "my-old-secret-guess" not in AccessAttempt.objects.get().post_data


# --- Headers a client controls never choose the address -----------------------------------


FORGED_HEADERS = [
    {"HTTP_X_FORWARDED_FOR": "203.0.113.{n}"},
    {"HTTP_X_REAL_IP": "203.0.113.{n}"},
    {"HTTP_FORWARDED": "for=203.0.113.{n}"},
    {
        "HTTP_X_FORWARDED_FOR": "198.51.100.{n}, 203.0.113.{n}",
        "HTTP_X_REAL_IP": "192.0.2.{n}",
        "HTTP_FORWARDED": "for=192.0.2.{n};proto=https",
    },
]


def _forged(headers, n):
    return {name: value.format(n=n) for name, value in headers.items()}


@pytest.mark.parametrize(
    "headers", FORGED_HEADERS, ids=["x-forwarded-for", "x-real-ip", "forwarded", "all-three"]
)
def test_a_new_forged_header_on_every_guess_does_not_escape_the_address_lockout(client, headers):
    for n, victim in enumerate(UserFactory.create_batch(5)):
        _fail(client, victim.username, 1, address="10.8.8.8", **_forged(headers, n))

    bystander = UserFactory.create()
    forged = _forged(headers, 99)
    assert _login(client, bystander.username, address="10.8.8.8", **forged).status_code == 429
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"10.8.8.8"}


def test_a_forged_header_does_not_escape_the_admin_password_change_lockout(
    superuser, superuser_client
):
    for n in range(5):
        response = superuser_client.post(
            ADMIN_PASSWORD_CHANGE,
            {"old_password": "wrong", "new_password1": "x", "new_password2": "x"},
            REMOTE_ADDR="10.8.8.8",
            HTTP_X_FORWARDED_FOR=f"203.0.113.{n}",
        )

    assert response.status_code == 429


# --- Behind a reverse proxy (DJANGO_TRUSTED_PROXY_COUNT=1) ----------------------------------

PROXY = "10.0.0.9"


@pytest.fixture
def behind_one_proxy(settings):
    """One proxy in front that appends the address it received the request from."""
    settings.TRUSTED_PROXY_COUNT = 1


def _via_proxy(client, username, password, address, forged=None):
    forwarded = f"{forged}, {address}" if forged else address
    return client.post(
        LOGIN,
        {"username": username, "password": password},
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR=forwarded,
        HTTP_X_REAL_IP=forged or "192.0.2.1",
    )


def _lock_out_address_via_proxy(client, address, forged=None):
    for victim in UserFactory.create_batch(5):
        _via_proxy(client, victim.username, "wrong", address, forged=forged)


def test_behind_a_proxy_the_lockout_hits_the_clients_address_not_the_proxys(
    client, behind_one_proxy
):
    _lock_out_address_via_proxy(client, "9.9.9.9")

    bystander = UserFactory.create()
    assert _via_proxy(client, bystander.username, DEFAULT_PASSWORD, "9.9.9.9").status_code == 429
    assert _via_proxy(client, bystander.username, DEFAULT_PASSWORD, "8.8.4.4").status_code == 302
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"9.9.9.9"}


@pytest.mark.parametrize("forged", ["6.6.6.6", "6.6.6.6, 7.7.7.7", "not-an-address"])
def test_behind_a_proxy_what_the_client_put_in_front_does_not_choose_the_address(
    client, behind_one_proxy, forged
):
    _lock_out_address_via_proxy(client, "9.9.9.9", forged=forged)

    bystander = UserFactory.create()
    assert _via_proxy(client, bystander.username, DEFAULT_PASSWORD, "9.9.9.9").status_code == 429
    assert _via_proxy(client, bystander.username, DEFAULT_PASSWORD, "6.6.6.6").status_code == 302


def test_without_the_setting_the_proxys_address_is_counted_as_sent(client):
    """The default is direct connections: behind a proxy every client shares its address."""
    _lock_out_address_via_proxy(client, "9.9.9.9")

    bystander = UserFactory.create()
    assert _via_proxy(client, bystander.username, DEFAULT_PASSWORD, "8.8.4.4").status_code == 429


@pytest.mark.parametrize("url", [LOGIN, ADMIN_LOGIN])
def test_a_username_longer_than_any_accounts_is_a_form_error_before_authenticating(client, url):
    """django-axes records the username in a 255-character column (PostgreSQL enforces it)."""
    response = client.post(url, {"username": "x" * 5000, "password": "wrong"})

    assert response.status_code == 200
    assert response.context["form"].errors["username"]
    assert not AccessAttempt.objects.exists()
