"""Every password check counts toward one lockout (django-axes): five failures, fifteen minutes.

The site's login, the admin's login, the site's "change password" and the admin's "change
password" all report to the same counter in the database, per username and per address, so a
lockout holds in every worker process and on every form. The numbers are the README's: 5 and 15.
The address is ``config.client_ip.client_ip``: headers a client sends never choose it, unless the
deployment declares its proxies (``DJANGO_TRUSTED_PROXY_COUNT``).
"""

from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.test import Client
from shared.factories import DEFAULT_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

LOGIN = "/accounts/login/"
ADMIN_LOGIN = "/admin/login/"
PASSWORD_CHANGE = "/accounts/password/"
ADMIN_PASSWORD_CHANGE = "/admin/password_change/"
NEW_PASSWORD = "another-long-passphrase"


def _fail(client, username, times, address="10.0.0.1", path=LOGIN, **headers):
    for _ in range(times):
        response = client.post(
            path, {"username": username, "password": "wrong"}, REMOTE_ADDR=address, **headers
        )
    return response


def _login(client, username, address="10.0.0.1", path=LOGIN, **headers):
    return client.post(
        path, {"username": username, "password": DEFAULT_PASSWORD}, REMOTE_ADDR=address, **headers
    )


def _change_password(client, old_password, path=PASSWORD_CHANGE, address="10.0.0.1"):
    return client.post(
        path,
        {
            "old_password": old_password,
            "new_password1": NEW_PASSWORD,
            "new_password2": NEW_PASSWORD,
        },
        REMOTE_ADDR=address,
    )


def _age_failures(by):
    for attempt in AccessAttempt.objects.all():
        attempt.attempt_time -= by
        attempt.save(update_fields=["attempt_time"])


def test_the_database_handler_is_used_so_every_process_shares_the_count():
    assert settings.AXES_HANDLER == "axes.handlers.database.AxesDatabaseHandler"


# --- Login --------------------------------------------------------------------------------


def test_four_failures_are_ordinary_form_errors(client, user):
    response = _fail(client, user.username, 4)

    assert response.status_code == 200
    assert response.context["form"].non_field_errors()


def test_the_fifth_failure_locks_the_account_out_with_429(client, user):
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


@pytest.mark.parametrize(
    ("elapsed", "status"),
    [(timedelta(minutes=14, seconds=59), 429), (timedelta(minutes=15, seconds=1), 302)],
)
def test_the_lockout_lasts_fifteen_minutes(client, user, elapsed, status):
    _fail(client, user.username, 5)
    _age_failures(elapsed)  # instead of sleeping

    assert _login(client, user.username).status_code == status


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
    _fail(client, staff.username, 5, address="10.1.1.1", path=ADMIN_LOGIN)

    response = _login(client, staff.username, address="10.1.1.1", path=ADMIN_LOGIN)

    assert response.status_code == 429


def test_a_username_longer_than_any_account_is_a_form_error_before_authenticating(client):
    response = _fail(client, "x" * 5000, 1)

    assert response.status_code == 200
    assert response.context["form"].errors["username"]
    assert not AccessAttempt.objects.exists()


# --- Change password ----------------------------------------------------------------------


@pytest.mark.parametrize("path", [PASSWORD_CHANGE, ADMIN_PASSWORD_CHANGE])
def test_five_wrong_old_passwords_lock_the_account_out(path, client, user):
    user.is_staff = True  # the admin's page needs staff; the site's takes anyone
    user.save(update_fields=["is_staff"])
    client.force_login(user)

    responses = [_change_password(client, "wrong", path=path) for _ in range(5)]

    assert [response.status_code for response in responses] == [200, 200, 200, 200, 429]
    assert _change_password(client, DEFAULT_PASSWORD, path=path).status_code == 429
    user.refresh_from_db()
    assert user.check_password(DEFAULT_PASSWORD)
    client.logout()
    assert _login(client, user.username).status_code == 429


@pytest.mark.parametrize("path", [PASSWORD_CHANGE, ADMIN_PASSWORD_CHANGE])
def test_a_wrong_old_password_is_recorded_without_the_passwords_typed(path, client, user):
    user.is_staff = True
    user.save(update_fields=["is_staff"])
    client.force_login(user)

    response = _change_password(client, "my-secret-guess", path=path)

    assert response.status_code == 200
    assert "old_password" in response.context["form"].errors
    (attempt,) = AccessAttempt.objects.all()
    assert attempt.username == user.username
    assert attempt.failures_since_start == 1
    assert "my-secret-guess" not in attempt.post_data
    assert NEW_PASSWORD not in attempt.post_data


def test_failures_on_every_form_add_up_to_one_count(client, user):
    user.is_staff = True
    user.save(update_fields=["is_staff"])
    session = Client()
    session.force_login(user)  # a login resets the count, so it comes first

    _fail(client, user.username, 1, path=LOGIN)
    _fail(client, user.username, 1, path=ADMIN_LOGIN)
    _change_password(session, "wrong", path=PASSWORD_CHANGE)
    _change_password(session, "wrong", path=ADMIN_PASSWORD_CHANGE)

    assert _change_password(session, "wrong").status_code == 429


# --- Which address is counted -------------------------------------------------------------

FORGED_HEADERS = [
    {"HTTP_X_FORWARDED_FOR": f"203.0.113.{n}", "HTTP_X_REAL_IP": f"198.51.100.{n}"}
    | {"HTTP_FORWARDED": f"for=192.0.2.{n}"}
    for n in range(1, 7)
]


def test_forged_forwarding_headers_do_not_escape_the_address_lockout(client):
    for victim, headers in zip(UserFactory.create_batch(5), FORGED_HEADERS, strict=False):
        _fail(client, victim.username, 1, address="10.6.6.6", **headers)

    bystander = UserFactory.create()
    response = _login(client, bystander.username, address="10.6.6.6", **FORGED_HEADERS[5])

    assert response.status_code == 429


def test_forged_forwarding_headers_do_not_lock_out_the_address_they_name(client):
    for victim in UserFactory.create_batch(5):
        _fail(client, victim.username, 1, address="10.6.6.6", **FORGED_HEADERS[0])

    bystander = UserFactory.create()
    assert _login(client, bystander.username, address="203.0.113.1").status_code == 302


PROXY = "10.0.0.9"


@pytest.fixture
def behind_one_proxy(settings):
    """DJANGO_TRUSTED_PROXY_COUNT=1: one proxy appends the client's address."""
    settings.TRUSTED_PROXY_COUNT = 1


def _via_proxy(client, username, password, address, forged=None):
    forwarded = f"{forged}, {address}" if forged else address
    return client.post(
        LOGIN,
        {"username": username, "password": password},
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR=forwarded,
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


def test_behind_a_proxy_a_forged_forwarded_for_does_not_choose_the_address(
    client, behind_one_proxy
):
    _lock_out_address_via_proxy(client, "9.9.9.9", forged="6.6.6.6")

    bystander = UserFactory.create()
    assert _via_proxy(client, bystander.username, DEFAULT_PASSWORD, "9.9.9.9").status_code == 429
    assert _via_proxy(client, bystander.username, DEFAULT_PASSWORD, "6.6.6.6").status_code == 302
